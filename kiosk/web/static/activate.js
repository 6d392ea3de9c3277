// Fills the activation key from the link's #key=... fragment. Browsers never send the
// fragment to the server, so the key stays out of every log; it is removed from the address
// bar once copied into the field. Without JavaScript the parent types the key.
(function () {
  "use strict";
  var match = /(?:^#|&)key=([0-9A-Fa-f{}\-]{32,40})/.exec(window.location.hash);
  var field = document.getElementById("key");
  if (!match || !field) { return; }
  if (!field.value) { field.value = match[1]; }
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname);
  }
  var note = document.getElementById("key-filled");
  if (note) { note.hidden = false; }
})();
