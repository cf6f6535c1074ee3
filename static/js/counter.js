// A live character counter under every textarea with a maximum length ("123 / 2000 tekens").
// Progressive enhancement: without JavaScript the browser still stops at maxlength and the
// server refuses longer text with a clear message.
(function () {
  "use strict";
  function attach(area) {
    if (area.dataset.counter) return;
    area.dataset.counter = "1";
    var max = parseInt(area.getAttribute("maxlength"), 10);
    var out = document.createElement("p");
    out.className = "help char-counter";
    out.setAttribute("aria-live", "polite");
    var label = document.documentElement.lang === "en" ? " characters" : " tekens";
    function update() { out.textContent = area.value.length + " / " + max + label; }
    area.addEventListener("input", update);
    area.insertAdjacentElement("afterend", out);
    update();
  }
  function scan(root) {
    (root || document).querySelectorAll("textarea[maxlength]").forEach(attach);
  }
  document.addEventListener("DOMContentLoaded", function () { scan(document); });
  document.addEventListener("htmx:afterSwap", function (event) { scan(event.target); });
})();
