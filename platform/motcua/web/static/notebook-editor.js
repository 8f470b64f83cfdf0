/* The notebook editor: live outputs under each cell, samples, and unsaved work kept in
   localStorage (keyed by ward, procedure and the draft's lock version) across reloads.
   Evaluation happens on the server (the "chay" endpoint); this file only moves values. */
(function () {
  "use strict";
  var form = document.getElementById("editor");
  if (!form || !window.MotcuaForm) return;
  var F = window.MotcuaForm;
  var storageKey = form.getAttribute("data-storage-key");
  var storagePrefix = form.getAttribute("data-storage-prefix");
  var picker = document.getElementById("sample-picker");

  function activeSample() { return picker ? picker.value : "0"; }
  function sampleValuesBox(index) {
    var box = document.querySelector("fieldset[data-sample=\"" + index + "\"] [data-sample-values]");
    return box;
  }
  function definitionInputs() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !el.hasAttribute("data-name") && !el.hasAttribute("data-col") &&
        el.name !== "csrf_token" && el.name !== "lock_version" && el.type !== "submit" && el.tagName !== "BUTTON";
    });
  }

  /* ---- unsaved work in localStorage ---- */
  function snapshot() {
    var data = {};
    definitionInputs().forEach(function (el) {
      if (el.type === "checkbox") data[el.name + "\u0000" + el.value] = el.checked;
      else if (!(el.name in data)) data[el.name] = el.value;
    });
    return data;
  }
  var original = snapshot();
  function store() {
    var now = snapshot(), changed = Object.keys(now).some(function (k) { return now[k] !== original[k]; });
    try {
      if (changed) localStorage.setItem(storageKey, JSON.stringify(now));
      else localStorage.removeItem(storageKey);
    } catch (e) { /* storage full or disabled: nothing to keep */ }
  }
  function restore() {
    var saved = null;
    try {
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var key = localStorage.key(i);
        if (key && key.indexOf(storagePrefix) === 0 && key !== storageKey) localStorage.removeItem(key);
      }
      saved = JSON.parse(localStorage.getItem(storageKey) || "null");
    } catch (e) { saved = null; }
    if (!saved) return;
    var restored = false;
    definitionInputs().forEach(function (el) {
      if (el.type === "checkbox") {
        var key = el.name + "\u0000" + el.value;
        if (key in saved && el.checked !== saved[key]) { el.checked = saved[key]; restored = true; }
      } else if (el.name in saved && el.value !== saved[el.name] && el.type !== "hidden") {
        el.value = saved[el.name]; restored = true;
      } else if (el.name in saved && el.hasAttribute("data-sample-values") && el.value !== saved[el.name]) {
        el.value = saved[el.name]; restored = true;
      }
    });
    if (restored) {
      var notice = document.getElementById("restore-notice");
      notice.hidden = false;
      document.getElementById("discard-restored").addEventListener("click", function () {
        localStorage.removeItem(storageKey);
        window.location.reload();
      });
    }
  }

  /* ---- running ---- */
  function runBody(options) {
    var body = new FormData(form);
    body.set("run_sample", activeSample());
    var box = sampleValuesBox(activeSample());
    body.set("values", box ? box.value : JSON.stringify(F.collect(outputsRoot())));
    if (options.widgets) body.set("widgets", "1");
    if (options.all) body.set("all", "1");
    return body;
  }
  function outputsRoot() { return form.querySelector(".cells"); }

  function showCellError(cellId, text) {
    form.querySelectorAll("[data-cell-error]").forEach(function (p) {
      p.textContent = (cellId && p.getAttribute("data-cell-error") === cellId) ? text : "";
    });
  }

  function showIssues(issues) {
    var byCell = {};
    (issues || []).forEach(function (issue) {
      byCell[issue.cell_id] = (byCell[issue.cell_id] ? byCell[issue.cell_id] + " · " : "") + issue.message;
    });
    form.querySelectorAll("[data-cell-error]").forEach(function (p) {
      p.textContent = byCell[p.getAttribute("data-cell-error")] || "";
    });
  }

  function showSamples(readiness) {
    var list = document.getElementById("sample-results");
    list.textContent = "";
    readiness.samples.forEach(function (sample) {
      var li = document.createElement("li");
      li.className = sample.passed ? "pass" : "fail";
      li.textContent = (sample.passed ? "✓ " : "✗ ") + sample.name + (sample.failures.length ? ": " + sample.failures.join("; ") : "");
      list.appendChild(li);
    });
    readiness.issues.forEach(function (issue) {
      var li = document.createElement("li");
      li.className = "fail";
      li.textContent = "✗ " + issue.cell_id + ": " + issue.message;
      list.appendChild(li);
    });
  }

  var sequence = 0;
  function run(options) {
    options = options || {};
    var mine = ++sequence;
    form.setAttribute("data-running", "1");
    return fetch(form.getAttribute("data-run-url"), {
      method: "POST", credentials: "same-origin", body: runBody(options),
      headers: {"Accept": "application/json", "X-CSRFToken": F.csrfToken(form)}
    }).then(function (response) {
      return response.json().then(function (body) { return {status: response.status, body: body}; });
    }).then(function (answer) {
      if (mine !== sequence) return;
      form.removeAttribute("data-running");
      var body = answer.body;
      if (answer.status !== 200) {
        var err = body.error || {};
        showCellError(err.cell_id || "", err.text || (err.message && err.message.vi) || "");
        return;
      }
      showIssues(body.issues);
      if (body.widgets) {
        Object.keys(body.widgets).forEach(function (cellId) {
          if (options.only && options.only !== cellId) return;
          var holder = form.querySelector("[data-widget-for=\"" + CSS.escape(cellId) + "\"]");
          if (holder && !holder.contains(document.activeElement)) holder.innerHTML = body.widgets[cellId];
        });
      }
      var root = outputsRoot();
      F.apply(root, body);
      Object.keys(body.cells).forEach(function (cellId) {
        var out = body.cells[cellId];
        if (out.kind === "check") {
          var holder = form.querySelector("[data-output-for=\"" + CSS.escape(cellId) + "\"] [data-passed]");
          if (holder) holder.setAttribute("data-passed", out.passed === true ? "yes" : out.passed === false ? "no" : "skip");
        }
      });
      if (options.only) {
        var section = document.getElementById("cell-" + options.only);
        if (section) { section.classList.add("ran"); setTimeout(function () { section.classList.remove("ran"); }, 800); }
      }
      if (body.readiness) showSamples(body.readiness);
      form.setAttribute("data-evaluated", String(mine));
    });
  }

  var runSoon = F.debounce(function (options) { run(options); }, 300);

  /* Typing into a field's widget edits the selected sample's values. */
  form.addEventListener("input", function (event) {
    var target = event.target;
    sequence++;  // an answer still on its way describes older input: ignore it
    if (target.closest("[data-widget-for]")) {
      var box = sampleValuesBox(activeSample());
      var values = F.collect(outputsRoot());
      if (box) box.value = JSON.stringify(values);
      store();
      runSoon({});
    } else if (target.closest(".cell-def, .nb-meta, .sample")) {
      store();
      runSoon({widgets: true, all: target.closest(".sample") ? true : false});
    }
  });
  form.addEventListener("change", function (event) {
    if (event.target.closest("[data-widget-for]")) {
      sequence++;
      var box = sampleValuesBox(activeSample());
      if (box) box.value = JSON.stringify(F.collect(outputsRoot()));
      store();
      runSoon({});
    }
  });

  if (picker) {
    picker.addEventListener("change", function () {
      form.querySelectorAll("fieldset[data-sample]").forEach(function (fs) {
        fs.hidden = fs.getAttribute("data-sample") !== picker.value;
      });
      form.querySelectorAll("[data-preview-link]").forEach(function (link) {
        link.href = link.href.split("?")[0] + "?sample=" + picker.value;
      });
      run({widgets: true});
    });
  }

  form.addEventListener("click", function (event) {
    var cellButton = event.target.closest("[data-run-cell]");
    if (cellButton) { event.preventDefault(); run({widgets: true, only: cellButton.getAttribute("data-run-cell")}); return; }
    if (event.target.id === "run-all") { event.preventDefault(); run({widgets: true, all: true}); return; }
    var confirmText = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (confirmText && !window.confirm(confirmText)) event.preventDefault();
  });

  form.addEventListener("submit", function () {
    // The server answers with a new lock version (saved) or this page again (refused):
    // keep the unsaved work until a page with a newer lock version loads.
    store();
  });

  restore();
  var problemCell = form.getAttribute("data-problem-cell");
  if (problemCell) {
    var section = document.getElementById("cell-" + problemCell);
    if (section) section.scrollIntoView();
  }
  run({widgets: true, all: true});
})();
