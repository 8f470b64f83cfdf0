/* Live notebook forms: collect the values typed, send them to the server's evaluator,
   show what it answers (visibility, computed values, errors). No form logic here: the
   server decides everything. Used by the procedure form and the notebook editor. */
(function () {
  "use strict";

  function csrfToken(root) {
    var input = (root || document).querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  function collect(root) {
    var values = {};
    root.querySelectorAll("[data-name]").forEach(function (el) {
      var name = el.getAttribute("data-name");
      if (el.hasAttribute("data-multiple")) {
        values[name] = values[name] || [];
        if (el.checked) values[name].push(el.value);
      } else {
        values[name] = el.value;
      }
    });
    root.querySelectorAll("[data-repeat]").forEach(function (table) {
      var rows = [];
      table.querySelectorAll("tr[data-row]").forEach(function (tr) {
        var row = {}, filled = false;
        tr.querySelectorAll("[data-col]").forEach(function (input) {
          row[input.getAttribute("data-col")] = input.value;
          if (input.value.trim()) filled = true;
        });
        if (filled) rows.push(row);
      });
      values[table.getAttribute("data-repeat")] = rows;
    });
    return values;
  }

  function byAttr(root, attr, value) {
    return root.querySelector("[" + attr + "=\"" + CSS.escape(value) + "\"]");
  }

  function fillList(list, entries) {
    if (!list) return;
    list.textContent = "";
    entries.forEach(function (entry) {
      var li = document.createElement("li");
      var extra = entry.form ? " (" + entry.form + " × " + entry.count + ")" : (entry.role ? " (" + entry.role + ", " + entry.budget + ")" : "");
      li.textContent = entry.name + extra;
      list.appendChild(li);
    });
  }

  /* A form marked data-errors="touched" shows a field's error only once the field was
     typed into (a fresh form does not greet staff with "required" everywhere). */
  function showsError(root, name) {
    return root.getAttribute("data-errors") !== "touched" || !!(root._touched && root._touched[name]);
  }

  function touch(root, target) {
    var named = target && target.closest ? target.closest("[data-name], [data-repeat]") : null;
    if (!named) return;
    root._touched = root._touched || {};
    root._touched[named.getAttribute("data-name") || named.getAttribute("data-repeat")] = true;
  }

  /* Show an evaluation (the JSON of form_render.evaluation_json) inside root. */
  function apply(root, result) {
    Object.keys(result.cells || {}).forEach(function (cellId) {
      var out = result.cells[cellId];
      if (out.kind === "field") {
        var wrap = byAttr(root, "data-field-wrap", out.name);
        if (wrap) wrap.hidden = !out.visible;
        var error = byAttr(root, "data-error-for", out.name);
        if (error) error.textContent = showsError(root, out.name) ? out.error || "" : "";
        return;
      }
      var el = byAttr(root, "data-cell", cellId) || byAttr(root, "data-output-for", cellId);
      if (!el) return;
      if (out.kind === "formula") {
        var display = el.querySelector("[data-display]");
        if (display) display.textContent = out.display;
        var err = el.querySelector("[data-error]");
        if (err) err.textContent = out.error || "";
      } else if (out.kind === "check") {
        var target = el.hasAttribute("data-passed") ? el : el.querySelector("[data-passed]");
        if (target) {
          target.setAttribute("data-passed", out.passed === true ? "yes" : out.passed === false ? "no" : "skip");
          if (target.classList.contains("check-line")) target.hidden = out.passed !== false;
          var message = target.querySelector("[data-message]");
          if (message) message.textContent = out.error || out.message;
        }
      } else if (out.kind === "documents" || out.kind === "steps") {
        fillList(el.querySelector("[data-entries]"), out.entries || []);
        var total = el.querySelector("[data-total]");
        if (total) total.textContent = out.total || "";
      }
    });
  }

  function addRow(button) {
    var table = byAttr(document, "data-repeat", button.getAttribute("data-add-row"));
    if (!table) return;
    var rows = table.querySelectorAll("tr[data-row]");
    var last = rows[rows.length - 1];
    var copy = last.cloneNode(true);
    var index = rows.length;
    copy.querySelectorAll("input").forEach(function (input) {
      input.value = "";
      input.name = input.name.replace(/\.\d+\.([^.]+)$/, "." + index + ".$1");
      input.setAttribute("aria-label", input.getAttribute("aria-label").replace(/\d+\)$/, (index + 1) + ")"));
    });
    last.parentNode.appendChild(copy);
    copy.querySelector("input").focus();
  }

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  function postJSON(url, body, root) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken(root)},
      body: JSON.stringify(body)
    }).then(function (response) { return response.json(); });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row]");
    if (button) { event.preventDefault(); addRow(button); }
  });

  document.querySelectorAll("form[data-live-url]").forEach(function (form) {
    var url = form.getAttribute("data-live-url");
    var run = debounce(function () {
      postJSON(url, {values: collect(form)}, form).then(function (result) {
        if (result.cells) apply(form, result);
        form.setAttribute("data-evaluated", "1");
      });
    }, 250);
    form.addEventListener("input", function (event) { touch(form, event.target); run(); });
    form.addEventListener("change", function (event) { touch(form, event.target); run(); });
  });

  window.MotcuaForm = {collect: collect, apply: apply, debounce: debounce, postJSON: postJSON, csrfToken: csrfToken};
})();
