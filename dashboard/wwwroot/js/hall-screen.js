// The live hall screen's charts take their type size from the screen, as its CSS does (docs/rules/accessibility.md#hall-screen):
// the page reports the viewport on load and after every resize.
let listener = null;
let timer = 0;

function report() {
    listener?.invokeMethodAsync("ViewportChanged", window.innerWidth, window.innerHeight);
}

function onResize() {
    clearTimeout(timer);
    timer = setTimeout(report, 100);
}

export function watchViewport(dotnet) {
    listener = dotnet;
    window.addEventListener("resize", onResize);
    report();
}

export function stop() {
    window.removeEventListener("resize", onResize);
    clearTimeout(timer);
    listener = null;
}
