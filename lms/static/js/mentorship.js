// Quick duration buttons on the "log a session" form: one tap sets the minutes.
document.querySelectorAll("[data-minutes]").forEach(function (button) {
  button.addEventListener("click", function () {
    var input = document.querySelector("input[name=minutes]");
    if (input) { input.value = button.dataset.minutes; }
  });
});
