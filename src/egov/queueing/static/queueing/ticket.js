// The ticket's Print button (hidden without JavaScript); a kiosk (?in=1) prints each ticket at
// once (run its browser with --kiosk-printing so that no dialog asks).
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector("[data-print]");
  if (button) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
  if (document.querySelector("[data-auto-print]")) {
    window.print();
  }
});
