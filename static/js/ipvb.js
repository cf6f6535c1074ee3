/* Small behaviours without inline script (the Content-Security-Policy forbids it):
   data-action="print" prints the page; data-action="back" goes back in history when there is
   history, else follows the link's own href. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target.closest("[data-action]") : null;
    if (!target) {
      return;
    }
    var action = target.getAttribute("data-action");
    if (action === "print") {
      event.preventDefault();
      window.print();
    } else if (action === "back" && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
})();
