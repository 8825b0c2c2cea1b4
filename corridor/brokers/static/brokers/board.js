// Case board (brokers/board.html): refused moves (400/403/409) carry a message for #board-messages,
// so let htmx swap it in instead of dropping it.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    if ([400, 403, 409].indexOf(event.detail.xhr.status) !== -1) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
