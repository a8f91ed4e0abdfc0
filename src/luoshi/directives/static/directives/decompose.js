// Decomposition page: the 任务分解表 as an editable grid beside the source text.
// - Selecting a row highlights the words it came from. Offsets from the server count Unicode code
//   points (Python str indices); JavaScript strings count UTF-16 units, so the text is split into
//   code points once and sliced by those.
// - Arrow keys, Tab and Enter move between cells; a changed cell saves its row (htmx), and the
//   focus comes back to the same cell once the row is redrawn.
// Without JavaScript every cell still posts with its row's 保存 button.
(function () {
  "use strict";

  var source = null;
  var points = null;
  var selectedId = null;
  var refocus = null;
  var saving = {};
  var pending = {};

  function init() {
    source = document.getElementById("source-text");
    if (source) {
      points = Array.from(source.textContent);
    }
    var filter = document.getElementById("item-filter");
    if (filter) {
      filter.addEventListener("change", function () {
        var list = document.getElementById(filter.dataset.target);
        if (list) list.dataset.filter = filter.value;
      });
    }
    document.body.classList.add("js");
  }

  function highlight(start, end) {
    if (!source || !points || isNaN(start) || isNaN(end) || start < 0 || end > points.length || start >= end) {
      return;
    }
    var mark = document.createElement("mark");
    mark.id = "source-mark";
    mark.textContent = points.slice(start, end).join("");
    source.replaceChildren(
      document.createTextNode(points.slice(0, start).join("")),
      mark,
      document.createTextNode(points.slice(end).join(""))
    );
    // Scroll the source pane, not the page, so the selected row stays where the user is.
    var top = source.scrollTop + mark.getBoundingClientRect().top - source.getBoundingClientRect().top - source.clientHeight / 3;
    source.scrollTo({ top: Math.max(0, top), behavior: "smooth" });
  }

  function select(row) {
    if (!row || row.id === selectedId && row.classList.contains("selected")) return;
    document.querySelectorAll(".item.selected").forEach(function (el) {
      el.classList.remove("selected");
    });
    row.classList.add("selected");
    selectedId = row.id;
    highlight(parseInt(row.dataset.start, 10), parseInt(row.dataset.end, 10));
  }

  function rowOf(el) {
    return el && el.closest ? el.closest("tr.item") : null;
  }

  document.addEventListener("click", function (event) {
    var row = rowOf(event.target);
    if (row && row.dataset.start !== undefined) select(row);
  });

  document.addEventListener("focusin", function (event) {
    var row = rowOf(event.target);
    if (row && row.dataset.start !== undefined) select(row);
  });

  function cell(row, col) {
    return row ? row.querySelector('[data-col="' + col + '"]') : null;
  }

  function moveTo(el) {
    if (!el) return;
    el.focus();
    if (el.select && el.type === "text") el.select();
  }

  function sibling(row, step) {
    var next = step > 0 ? row.nextElementSibling : row.previousElementSibling;
    while (next && (!next.querySelector("[data-col]") || next.offsetParent === null)) {
      next = step > 0 ? next.nextElementSibling : next.previousElementSibling;
    }
    return next;
  }

  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if (!el.dataset || el.dataset.col === undefined || event.altKey || event.ctrlKey || event.metaKey) return;
    var row = rowOf(el);
    var col = parseInt(el.dataset.col, 10);
    var text = el.type === "text";
    var key = event.key;
    if (key === "ArrowDown" || key === "ArrowUp" || key === "Enter") {
      var step = key === "ArrowUp" || (key === "Enter" && event.shiftKey) ? -1 : 1;
      event.preventDefault();
      moveTo(cell(sibling(row, step), col));
    } else if (key === "ArrowLeft" || key === "ArrowRight") {
      // In a text cell the arrows move the caret until it reaches the cell's edge.
      if (text && (key === "ArrowLeft" ? el.selectionStart > 0 || el.selectionEnd > 0 : el.selectionEnd < el.value.length)) return;
      if (el.type === "date") return;
      var target = cell(row, col + (key === "ArrowLeft" ? -1 : 1));
      if (target) {
        event.preventDefault();
        moveTo(target);
      }
    } else if (key === "Escape" && text) {
      el.value = el.defaultValue;
    }
  });

  // A changed cell saves its row at once.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (!el.dataset || el.dataset.col === undefined || !el.form || !el.form.classList.contains("row-form")) return;
    if (el.type === "text" && !el.value.trim()) {
      el.value = el.defaultValue;
      return;
    }
    var form = el.form;
    if (saving[form.id]) {
      // The row is being saved and will be redrawn from the answer, which would wipe this change
      // and carry a newer version than this form holds: keep it and save it once the answer is in.
      (pending[form.id] = pending[form.id] || {})[el.dataset.col] = el.value;
      return;
    }
    save(form);
  });

  function save(form) {
    if (window.htmx) {
      saving[form.id] = true;
      // htmx binds a swapped-in row only when it settles; a cell changed before that would post the
      // form natively and reload the whole page. Binding it here is idempotent.
      window.htmx.process(form);
    }
    form.requestSubmit();
  }

  // htmx has swapped the row in by the time its request ends (or left it, on an error): the
  // changes made meanwhile go into the row now on the page and are saved with its version.
  document.addEventListener("htmx:afterRequest", function (event) {
    // detail.elt names where the event was fired, an ancestor when the form has been swapped out.
    var sent = event.detail && event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!sent || !sent.id || !saving[sent.id]) return;
    var id = sent.id;
    var changes = pending[id];
    delete saving[id];
    delete pending[id];
    var form = document.getElementById(id);
    if (!changes || !form) return;
    var row = rowOf(form) || form;
    Object.keys(changes).forEach(function (col) {
      var target = row.querySelector('[data-col="' + col + '"]');
      if (target) target.value = changes[col];
    });
    save(form);
  });

  document.addEventListener("htmx:beforeSwap", function () {
    var el = document.activeElement;
    var row = rowOf(el);
    refocus = row && el.dataset && el.dataset.col !== undefined ? { row: row.id, col: el.dataset.col } : null;
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (refocus) {
      var again = cell(document.getElementById(refocus.row), refocus.col);
      if (again && document.activeElement === document.body) again.focus();
      refocus = null;
    }
    if (!selectedId) return;
    var row = document.getElementById(selectedId);
    if (row && !row.classList.contains("selected")) {
      selectedId = null;
      select(row);
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
