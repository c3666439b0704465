// Read-aloud and spoken prompts through the browser's speech synthesis (适老化: voice for prompts and pages).
// Every function is safe where speech synthesis is missing or has no voices (headless browsers, some kiosks):
// it then does nothing and returns false.

function synthesis() {
    const synth = window.speechSynthesis;
    return synth && typeof synth.speak === "function" && typeof window.SpeechSynthesisUtterance === "function"
        ? synth
        : null;
}

function voiceFor(synth, lang) {
    try {
        const voices = typeof synth.getVoices === "function" ? synth.getVoices() || [] : [];
        const wanted = lang.toLowerCase();
        const primary = wanted.split("-")[0];
        return voices.find(v => (v.lang || "").replace("_", "-").toLowerCase() === wanted)
            || voices.find(v => (v.lang || "").toLowerCase().startsWith(primary))
            || null;
    } catch {
        return null;
    }
}

/** Speaks text in lang (zh-CN or en-US), cutting off whatever was being said. */
export function speak(text, lang) {
    const synth = synthesis();
    if (!synth || !text) {
        return false;
    }
    try {
        synth.cancel();
        const utterance = new window.SpeechSynthesisUtterance(text);
        utterance.lang = lang;
        // A little slower than the default: the kiosk serves many older citizens.
        utterance.rate = 0.9;
        const voice = voiceFor(synth, lang);
        if (voice) {
            utterance.voice = voice;
        }
        synth.speak(utterance);
        return true;
    } catch {
        return false;
    }
}

/** Reads the current screen: the text of the elements the page marked with data-speak, in page order. */
export function readScreen(lang) {
    const root = document.querySelector(".kiosk-main") || document.body;
    let parts = Array.from(root.querySelectorAll("[data-speak]"));
    if (parts.length === 0) {
        parts = Array.from(root.querySelectorAll("h1"));
    }
    const stop = lang.startsWith("zh") ? "。" : ". ";
    const text = parts
        .map(element => (element.innerText || element.textContent || "").replace(/\s+/g, " ").trim())
        .filter(piece => piece.length > 0)
        .map(piece => /[。！？.!?：:，,；;]$/.test(piece) ? piece : piece + stop)
        .join(" ");
    return speak(text, lang);
}

/** Stops speaking (e.g. when the voice prompts are turned off). */
export function stop() {
    const synth = synthesis();
    if (synth && typeof synth.cancel === "function") {
        try {
            synth.cancel();
        } catch {
            // Nothing to stop.
        }
    }
}
