// The kiosk's on-screen keyboard: a kiosk has no physical keyboard, so every text field opens this one when it gets
// focus. Chinese by pinyin (type the letters, pick the character from the candidates), English letters, digits and
// punctuation. simple-keyboard draws it (installed by the build, see ServiceHall.Kiosk.csproj); this file ties it to
// the page: it writes into the focused field as if typed (an input event, so Blazor sees it) and keeps the field in
// view above the keyboard.
import Keyboard from "../lib/keyboard/simple-keyboard.js";
import chinese from "../lib/keyboard/chinese.js";

// Letters in the usual order; the bottom row switches language and closes. Chinese punctuation in Chinese mode.
const layouts = {
    zh: {
        default: [
            "1 2 3 4 5 6 7 8 9 0 {bksp}",
            "q w e r t y u i o p",
            "a s d f g h j k l",
            "z x c v b n m ， 。 ？ ！",
            "{lang} {space} {hide}",
        ],
    },
    en: {
        default: [
            "1 2 3 4 5 6 7 8 9 0 {bksp}",
            "q w e r t y u i o p",
            "a s d f g h j k l",
            "z x c v b n m , . ? @",
            "{lang} {space} {hide}",
        ],
    },
};

const fieldSelector = "textarea, input[type=text], input[type=search], input:not([type])";

let keyboard = null;
let panel = null;
let target = null;
let mode = "zh";
let labels = { zh: "中", en: "EN", space: "空格", bksp: "删除", hide: "收起键盘", langToZh: "中文", langToEn: "英文" };

/** Sets up the keyboard once per page; every text field that gets focus from then on opens it. */
export function init(texts) {
    labels = { ...labels, ...texts };
    if (panel) {
        applyLabels();
        return;
    }
    panel = document.createElement("div");
    panel.className = "osk";
    panel.setAttribute("data-testid", "keyboard");
    panel.setAttribute("role", "group");
    panel.hidden = true;
    panel.innerHTML = '<div class="simple-keyboard"></div>';
    document.body.appendChild(panel);
    keyboard = new Keyboard(panel.querySelector(".simple-keyboard"), {
        layout: layouts[mode],
        layoutCandidates: chinese.layoutCandidates,
        enableLayoutCandidates: true,
        layoutCandidatesPageSize: 8,
        display: display(),
        preventMouseDownDefault: true,
        stopMouseDownPropagation: true,
        onChange: write,
        onKeyPress: press,
        buttonAttributes: [
            { attribute: "data-testid", value: "osk-lang", buttons: "{lang}" },
            { attribute: "data-testid", value: "osk-hide", buttons: "{hide}" },
        ],
    });
    document.addEventListener("focusin", event => {
        if (event.target instanceof HTMLElement && event.target.matches(fieldSelector) && !event.target.readOnly) {
            open(event.target);
        }
    });
    document.addEventListener("input", event => {
        // Typed some other way (a physical keyboard in the workshop): the keyboard goes on from what the field holds.
        if (event.isTrusted && event.target === target) {
            keyboard.setInput(target.value);
        }
    });
    // Focus went somewhere else than a text field (a button, the page): the keyboard steps aside. Not while a finger is
    // still down: the page would move under it and the tap that took the focus (on a search result, say) would be lost.
    let pressing = false;
    const closeIfAway = () => {
        if (!pressing && !(document.activeElement instanceof HTMLElement && document.activeElement.matches(fieldSelector))) {
            close();
        }
    };
    document.addEventListener("pointerdown", () => { pressing = true; }, true);
    document.addEventListener("pointerup", () => setTimeout(() => { pressing = false; closeIfAway(); }, 0), true);
    document.addEventListener("pointercancel", () => { pressing = false; }, true);
    document.addEventListener("focusout", () => setTimeout(closeIfAway, 0));
}

function display() {
    return {
        "{bksp}": labels.bksp,
        "{space}": labels.space,
        "{hide}": labels.hide,
        "{lang}": mode === "zh" ? `${labels.zh} → ${labels.langToEn}` : `${labels.en} → ${labels.langToZh}`,
    };
}

function applyLabels() {
    keyboard?.setOptions({ display: display() });
}

function open(field) {
    target = field;
    keyboard.setOptions({ maxLength: field.maxLength > 0 ? field.maxLength : false });
    keyboard.setInput(field.value);
    keyboard.setCaretPosition(field.selectionStart ?? field.value.length);
    panel.hidden = false;
    document.body.classList.add("has-keyboard");
    document.documentElement.style.setProperty("--osk-height", `${panel.offsetHeight}px`);
    // The field being typed in stays in view, above the keyboard.
    requestAnimationFrame(() => field.scrollIntoView({ block: "center" }));
}

function close() {
    if (!panel || panel.hidden) {
        return;
    }
    panel.hidden = true;
    document.body.classList.remove("has-keyboard");
    target = null;
}

function write(input) {
    if (!target) {
        return;
    }
    target.value = input;
    target.dispatchEvent(new Event("input", { bubbles: true }));
}

function press(button) {
    if (button === "{lang}") {
        mode = mode === "zh" ? "en" : "zh";
        keyboard.setOptions({ layout: layouts[mode], enableLayoutCandidates: mode === "zh", display: display() });
    } else if (button === "{hide}") {
        target?.blur();
        close();
    }
}
