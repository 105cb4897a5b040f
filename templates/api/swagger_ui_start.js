"use strict";
{% comment %}Swagger UI's start-up script (served as /api/v1/docs/?script, never inline: CSP). Our copy of
drf-spectacular's, without its CSRF header: the API is read-only GET, and rendering a CSRF token would
set a cookie and keep this response and the page out of every cache.{% endcomment %}
const swaggerSettings = {{ settings|safe }};
window.ui = SwaggerUIBundle({
  url: "{{ schema_url|escapejs }}",
  dom_id: "#swagger-ui",
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  ...swaggerSettings,
});
