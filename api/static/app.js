// Small progressive enhancements; every page works without them.
document.addEventListener("click", function (event) {
  // A confirmation before a form that changes what others see (publish, approve).
  var button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
});
