// Decomposition page: selecting a row highlights the words it came from in the source text.
// Offsets from the server count Unicode code points (Python str indices); JavaScript strings count
// UTF-16 units, so the text is split into code points once and sliced by those.
(function () {
  "use strict";

  var source = null;
  var points = null;
  var selectedId = null;

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

  function select(card) {
    document.querySelectorAll(".item.selected").forEach(function (el) {
      el.classList.remove("selected");
    });
    card.classList.add("selected");
    selectedId = card.id;
    highlight(parseInt(card.dataset.start, 10), parseInt(card.dataset.end, 10));
  }

  document.addEventListener("click", function (event) {
    var card = event.target.closest(".item[data-start]");
    if (card) select(card);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" && event.key !== " ") return;
    var card = event.target;
    if (card.classList && card.classList.contains("item") && card.dataset.start !== undefined) {
      event.preventDefault();
      select(card);
    }
  });

  // A row replaced by htmx (accepted, edited, split) keeps its selection and its highlight.
  document.addEventListener("htmx:afterSettle", function () {
    if (!selectedId) return;
    var card = document.getElementById(selectedId);
    if (card && !card.classList.contains("selected")) select(card);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
