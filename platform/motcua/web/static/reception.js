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

  /* A CCCD read by the counter's own scanner (through motcua agent) arrives here: while a
     counter is chosen, ask the server for that counter's next scan and fill it in with the
     same QR button. The chosen counter is remembered on this PC. */
  var script = document.getElementById("reception-script");
  var counter = document.getElementById("counter");
  var qr = document.getElementById("qr");
  if (!script || !counter || !qr) return;
  var key = "motcua.counter";
  if (!counter.value && window.localStorage && localStorage.getItem(key)) {
    counter.value = localStorage.getItem(key);
  }
  counter.addEventListener("change", function () {
    if (window.localStorage) localStorage.setItem(key, counter.value);
  });
  var csrf = form.querySelector('input[name="csrf_token"]');
  function poll() {
    if (!counter.value) return;
    var url = script.dataset.scanUrl.replace("/0/", "/" + encodeURIComponent(counter.value) + "/");
    var body = new FormData();
    body.append("csrf_token", csrf ? csrf.value : "");
    fetch(url, { method: "POST", body: body, headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data.text) {
          qr.value = data.text;
          document.getElementById("qr-prefill").click();
        }
      })
      .catch(function () { /* the server is away for a moment: try again */ });
  }
  setInterval(poll, 1500);
})();
