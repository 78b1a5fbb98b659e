// Swagger UI for the API's documentation page, loaded from this site (no inline script, for the CSP).
(function () {
  "use strict";
  var el = document.getElementById("swagger-ui");
  if (!el || !window.SwaggerUIBundle) return;
  window.SwaggerUIBundle({
    url: el.getAttribute("data-schema-url"),
    dom_id: "#swagger-ui",
    deepLinking: false,
    supportedSubmitMethods: ["get"],
    withCredentials: true,
  });
})();
