// Corridor's small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // A text box above long multi-selects (e.g. ~2,000 industries) that hides non-matching options.
  function enhanceSearchableSelect(select) {
    if (select.dataset.enhanced) return;
    select.dataset.enhanced = "1";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "form-control form-control-sm mb-1";
    input.placeholder = select.dataset.searchPlaceholder || "…";
    input.setAttribute("aria-label", input.placeholder);
    var counter = document.createElement("div");
    counter.className = "form-text";
    function updateCounter() {
      var n = select.selectedOptions.length;
      counter.textContent = (select.dataset.selectedLabel || "") + " " + n +
        (n ? " — " + Array.prototype.slice.call(select.selectedOptions, 0, 4).map(function (o) { return o.text.trim(); }).join("; ") + (n > 4 ? " …" : "") : "");
    }
    input.addEventListener("input", function () {
      var term = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(select.options, function (option) {
        option.hidden = term !== "" && option.text.toLowerCase().indexOf(term) === -1 && !option.selected;
      });
    });
    select.addEventListener("change", updateCounter);
    select.parentNode.insertBefore(input, select);
    select.parentNode.insertBefore(counter, select.nextSibling);
    updateCounter();
  }

  function enhance(root) {
    (root || document).querySelectorAll("select[data-searchable]").forEach(enhanceSearchableSelect);
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
})();
