// Saves one case evidence file the console fetched over its own connection: the bytes become a blob the browser
// saves under the file's name. Nothing is fetched from an address, so no file is reachable outside the console.
export async function save(fileName, contentType, stream) {
    const buffer = await stream.arrayBuffer();
    const url = URL.createObjectURL(new Blob([buffer], { type: contentType }));
    const link = document.createElement("a");
    link.href = url;
    link.download = fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30000);
}
