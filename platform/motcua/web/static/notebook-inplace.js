/* The notebook editor without page reloads. Every button of the editor form (save, add,
   delete, samples, confirm, publish) still posts the whole form to the server, which
   answers with the editor page as before; this file sends that request with fetch and
   swaps the page's <main> for the answer's, then starts notebook-editor.js on it again.
   Without JavaScript the same buttons submit the form normally.

   Keys, as in Jupyter: on a cell (Esc leaves a field for its cell) `a` / `b` add a field
   above / below, Shift+Enter runs the cell, Ctrl+S (⌘S) saves. Publishing first shows
   what changes from the version in use (POST …/khac-biet) and asks to confirm. */
(function () {
  "use strict";
  if (window.MotcuaInplace) return;
  var busy = false;

  function editorForm() { return document.getElementById("editor"); }
  function main() { return document.getElementById("main"); }
  function cellIds() {
    return Array.prototype.map.call(document.querySelectorAll("section.cell[data-cell-id]"),
      function (s) { return s.getAttribute("data-cell-id"); });
  }
  function csrf(form) { return form.querySelector("input[name=csrf_token]").value; }

  function swap(html, url) {
    var page = new DOMParser().parseFromString(html, "text/html");
    var fresh = page.getElementById("main");
    if (!fresh) { window.location.assign(url); return; }  // not an editor page: go there
    main().innerHTML = fresh.innerHTML;
    document.title = page.title;
    if (url) window.history.replaceState(null, "", url);
    if (window.MotcuaEditor) window.MotcuaEditor.init();
    var hash = url && url.indexOf("#") >= 0 ? url.split("#")[1] : "";
    var target = hash && document.getElementById(hash);
    if (target) { target.scrollIntoView({block: "start"}); target.focus({preventScroll: true}); }
    else {
      var message = document.getElementById("message") || document.getElementById("problem");
      if (message) { message.setAttribute("tabindex", "-1"); message.focus(); }
    }
    document.body.setAttribute("data-swaps", String(Number(document.body.getAttribute("data-swaps") || 0) + 1));
  }

  /* Buttons pressed while an answer is on its way wait their turn: each request is built
     from the page as the previous answer left it (its new lock version, its new cells). */
  var queue = [];

  function send(form, submitter) {
    queue.push(submitter && submitter.name ? {name: submitter.name, value: submitter.value} : null);
    if (!busy) next();
  }

  function next() {
    var pressed = queue.shift();
    var form = editorForm();
    if (pressed === undefined || !form) { busy = false; return; }
    busy = true;
    var body = new FormData(form);
    if (pressed) body.set(pressed.name, pressed.value);
    form.setAttribute("aria-busy", "true");
    // Nothing typed now could be kept (the answer replaces the page): the editor waits, as a
    // page load would make it. The body above was read before this.
    var fields = form.querySelector("fieldset.plain");
    var wasDisabled = fields ? fields.disabled : true;
    if (fields) fields.disabled = true;
    // The last answer's "Đã lưu" must not stand for this one while it is on its way.
    ["message", "problem"].forEach(function (id) {
      var stale = document.getElementById(id);
      if (stale) stale.remove();
    });
    var before = cellIds();
    // form.action would be the buttons named "action": read the attribute.
    fetch(form.getAttribute("action"), {method: "POST", credentials: "same-origin", body: body,
                                        headers: {"Accept": "text/html", "X-CSRFToken": csrf(form)}})
      .then(function (response) {
        return response.text().then(function (html) {
          swap(html, response.url);
          var added = cellIds().filter(function (id) { return before.indexOf(id) < 0; })[0];
          var section = added && document.getElementById("cell-" + added);
          if (section) {  // a new cell: straight to its first box
            section.scrollIntoView({block: "center"});
            var first = section.querySelector(".cell-def input:not([type=hidden]), .cell-def textarea");
            (first || section).focus();
          }
        });
      })
      .catch(function () {  // the network failed: a plain submit says why
        queue = [];
        if (fields) fields.disabled = wasDisabled;
        if (pressed) {
          var keep = document.createElement("input");
          keep.type = "hidden"; keep.name = pressed.name; keep.value = pressed.value;
          form.appendChild(keep);
        }
        form.submit();
      })
      .finally(next);
  }

  /* ---- publish: show the changes, then confirm ---- */
  function askPublish(form, submitter) {
    var dialog = document.getElementById("publish-dialog");
    var url = form.getAttribute("data-diff-url");
    if (!dialog || !url || typeof dialog.showModal !== "function") { send(form, submitter); return; }
    var holder = dialog.querySelector("[data-publish-diff]");
    holder.textContent = "…";
    dialog.showModal();
    fetch(url, {method: "POST", credentials: "same-origin", body: new FormData(form),
                headers: {"Accept": "text/html", "X-CSRFToken": csrf(form)}})
      .then(function (response) { return response.text(); })
      .then(function (html) {
        holder.innerHTML = html;  // rendered by the server's templates (escaped)
        dialog.querySelector("[data-publish-confirm]").focus();
      });
    dialog.querySelector("[data-publish-confirm]").onclick = function () {
      dialog.close();
      send(form, submitter);
    };
    dialog.querySelector("[data-publish-cancel]").onclick = function () {
      dialog.close();
      submitter.focus();
    };
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.id !== "editor") return;
    event.preventDefault();
    var submitter = event.submitter;
    if (submitter && submitter.value === "publish") askPublish(form, submitter);
    else send(form, submitter);
  });

  function press(form, value, at) {
    var button = form.querySelector("button[name=action][value=\"" + value + "\"]");
    if (!button) return;
    form.querySelector("[data-add-at]").value = at === undefined ? "" : String(at);
    if (typeof form.requestSubmit === "function") form.requestSubmit(button); else button.click();
  }

  document.addEventListener("keydown", function (event) {
    var form = editorForm();
    if (!form || !form.contains(event.target)) return;
    var key = event.key;
    if ((event.ctrlKey || event.metaKey) && (key === "s" || key === "S")) {
      event.preventDefault();
      press(form, "save");
      return;
    }
    var section = event.target.closest("section.cell");
    if (!section) return;
    if (key === "Enter" && event.shiftKey) {
      var run = section.querySelector("[data-run-cell]");
      if (run) { event.preventDefault(); run.click(); }
      return;
    }
    if (key === "Escape" && event.target !== section) {
      section.focus();
      return;
    }
    if (event.target !== section || event.ctrlKey || event.metaKey || event.altKey) return;
    if (key === "a" || key === "b") {
      var cells = Array.prototype.slice.call(form.querySelectorAll("section.cell[data-cell-id]"));
      var index = cells.indexOf(section) + (key === "b" ? 1 : 0);
      event.preventDefault();
      press(form, "add:field", index);
    }
  });

  // A cell's header names what it defines: renaming the field renames the header too.
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.name || !/^c\.[^.]+\.name$/.test(box.name)) return;
    var section = box.closest("section.cell");
    var title = section && section.querySelector("[data-cell-title]");
    if (title) title.textContent = box.value.trim() || section.getAttribute("data-cell-id");
  });

  window.MotcuaInplace = {send: send};
})();
