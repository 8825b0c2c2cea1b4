// Benefit-sharing calculator: the server answers 400 with the working's error messages when the
// inputs cannot be allocated (ratios not summing to 100%, negative amounts, …); htmx swaps only
// 2xx answers by default, so let the calculator's working show those messages too.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (target && target.id === "working" && event.detail.xhr && event.detail.xhr.status === 400) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
