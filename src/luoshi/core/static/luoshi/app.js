// Small behaviours shared by every page. No inline scripts anywhere (the CSP forbids them).
document.addEventListener("click", function (event) {
  var target = event.target.closest("[data-confirm]");
  if (target && !window.confirm(target.getAttribute("data-confirm"))) {
    event.preventDefault();
    event.stopPropagation();
  }
});

// A long <select multiple> (units) becomes searchable: a filter box above it hides the options that
// do not match, a click toggles one option without Ctrl, and a line below lists what is chosen. The
// select itself stays the form field, so the page works the same without script.
function enhanceMultiSelect(select) {
  if (select.dataset.enhanced) { return; }
  select.dataset.enhanced = "1";
  var box = document.createElement("input");
  box.type = "search";
  box.className = "multi-filter";
  box.placeholder = select.getAttribute("data-search");
  box.setAttribute("aria-label", select.getAttribute("data-search"));
  var chosen = document.createElement("div");
  chosen.className = "multi-chosen small muted";
  chosen.setAttribute("aria-live", "polite");
  select.parentNode.insertBefore(box, select);
  select.parentNode.insertBefore(chosen, select.nextSibling);
  function summarise() {
    var names = Array.prototype.filter.call(select.options, function (o) { return o.selected; })
      .map(function (o) { return o.text.trim(); });
    chosen.textContent = names.length ? (select.getAttribute("data-chosen") || "") + names.join("、") : "";
  }
  box.addEventListener("input", function () {
    var words = box.value.trim().toLowerCase();
    Array.prototype.forEach.call(select.options, function (o) {
      o.hidden = words !== "" && o.text.toLowerCase().indexOf(words) < 0;
    });
  });
  box.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); }  // Enter filters; it does not submit
  });
  select.addEventListener("mousedown", function (event) {
    var option = event.target.closest("option");
    if (!option || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    event.preventDefault();
    option.selected = !option.selected;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    select.focus();
  });
  select.addEventListener("change", summarise);
  summarise();
}

function enhanceAll(root) {
  Array.prototype.forEach.call((root || document).querySelectorAll("select[multiple][data-search]"), enhanceMultiSelect);
}
document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
document.addEventListener("htmx:afterSwap", function (event) { enhanceAll(event.target); });
