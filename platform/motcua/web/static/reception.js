/* The reception screen: a keyboard-wedge scanner types the CCCD QR and presses Enter,
   which fills the applicant in (a server round trip); Enter in any other one-line input
   does nothing, so a stray Enter never saves a half-filled dossier. */
(function () {
  "use strict";
  var form = document.getElementById("reception-form");
  if (!form) return;
  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.target.tagName !== "INPUT") return;
    var type = event.target.type;
    if (type === "submit" || type === "button" || type === "checkbox") return;
    event.preventDefault();
    if (event.target.id === "qr" && event.target.value.trim()) {
      document.getElementById("qr-prefill").click();
    }
  });
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
