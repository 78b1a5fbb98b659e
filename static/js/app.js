// The pages' one script (a module, so no inline script is needed under the Content-Security-Policy):
// marks the page as able to run GOV.UK Frontend's components, then starts them. The error summary
// and the success banner take focus when the page loads (GOV.UK Frontend does this).
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// After htmx swaps in a part of a page (the inline RAG change), start the components in it too.
document.body.addEventListener("htmx:afterSwap", (event) => {
  initAll({ scope: event.target });
});
