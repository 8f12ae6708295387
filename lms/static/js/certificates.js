// Bulk issue: poll the batch's progress and update the bar until the ZIP is ready.
(function () {
  var box = document.getElementById("batch-progress");
  if (!box) return;
  var script = document.currentScript;
  var doneText = script ? script.getAttribute("data-done-text") : "";
  function tick() {
    fetch(box.getAttribute("data-url"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (p) {
        var bar = box.querySelector(".progress");
        bar.setAttribute("aria-valuenow", p.done);
        bar.querySelector("span").style.width = p.percent + "%";
        box.querySelector("[data-done]").textContent = p.done;
        if (p.zip_ready) {
          box.querySelector("[data-zip]").hidden = false;
          box.querySelector("[data-status]").textContent = doneText;
        } else {
          setTimeout(tick, 1500);
        }
      })
      .catch(function () { setTimeout(tick, 5000); });
  }
  setTimeout(tick, 1000);
})();
