// Import pages: a clear "in progress" state while a long upload, check or import runs.
(function () {
  "use strict";

  function busy(form) {
    var button = form.querySelector("button[type=submit]");
    var box = form.querySelector("#import-busy");
    if (button) {
      button.disabled = true;
    }
    if (!box) return;
    var text = box.querySelector(".busy-text");
    text.textContent = form.dataset.busyText || "…";
    box.classList.remove("d-none");
    var url = form.dataset.progressUrl;
    if (!url || !window.fetch) return;
    var total = form.dataset.total || "";
    function poll() {
      fetch(url, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (data && data.phase) {
            text.textContent = (form.dataset.busyText || "") + " " + data.done + (total ? " / " + total : "");
          }
        })
        .catch(function () {});
    }
    window.setInterval(poll, 1000);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form && (form.id === "import-form" || form.id === "commit-form")) {
      // Let the browser submit first, then show the waiting state.
      window.setTimeout(function () { busy(form); }, 0);
    }
  });
})();
