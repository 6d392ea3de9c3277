// Fills the activation key from the link's #key=... fragment. Browsers never send the
// fragment to the server, so the key stays out of every log; it is removed from the address
// bar once copied into the field. Without JavaScript the parent types the key.
(function () {
  "use strict";
  var match = /(?:^#|&)key=([0-9A-Fa-f{}\-]{32,40})/.exec(window.location.hash);
  var field = document.getElementById("key");
  if (!match || !field) { return; }
  // Shown as on the letter, {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}, so the parent can compare.
  var hex = match[1].replace(/[^0-9A-Fa-f]/g, "").toUpperCase();
  var shown = hex.length === 32
    ? "{" + [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20),
             hex.slice(20)].join("-") + "}"
    : match[1];
  if (!field.value) { field.value = shown; }
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname);
  }
  var note = document.getElementById("key-filled");
  if (note) { note.hidden = false; }
})();
