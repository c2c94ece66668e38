// Swagger UI from the swagger-ui-dist npm package, so the docs work offline (no
// CDN). The page carries no inline script: the initializer is served as a file and
// reads which document to open from the page, so a strict CSP holds.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const dist = path.dirname(require.resolve('swagger-ui-dist/package.json'));

export const ASSET_BASE = '/api/v1/docs/assets';

/** Served name → file in swagger-ui-dist. */
export const SWAGGER_ASSETS: Record<string, string> = {
  'swagger-ui.css': path.join(dist, 'swagger-ui.css'),
  'index.css': path.join(dist, 'index.css'),
  'swagger-ui-bundle.js': path.join(dist, 'swagger-ui-bundle.js'),
  'swagger-ui-standalone-preset.js': path.join(dist, 'swagger-ui-standalone-preset.js'),
  'favicon-32x32.png': path.join(dist, 'favicon-32x32.png'),
  'favicon-16x16.png': path.join(dist, 'favicon-16x16.png'),
};

/** Both documents are offered in the top bar; the page's data-url names the one to open first. */
export const SWAGGER_INITIALIZER = `window.addEventListener('load', function () {
  var urls = [
    { url: '/api/v1/openapi.json', name: 'Bloom /api/v1' },
    { url: '/api/v1/integrations/openapi.json', name: 'Integrations /api/v1/integrations' }
  ];
  var wanted = document.getElementById('swagger-ui').getAttribute('data-url');
  var primary = urls.filter(function (u) { return u.url === wanted; })[0] || urls[0];
  window.ui = SwaggerUIBundle({
    urls: urls,
    'urls.primaryName': primary.name,
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: true,
    // The default validator badge is fetched from validator.swagger.io: none, to stay offline.
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: 'StandaloneLayout'
  });
});
`;

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function swaggerPage(title: string, documentUrl: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeAttr(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${ASSET_BASE}/swagger-ui.css">
<link rel="stylesheet" href="${ASSET_BASE}/index.css">
<link rel="icon" type="image/png" href="${ASSET_BASE}/favicon-32x32.png" sizes="32x32">
<link rel="icon" type="image/png" href="${ASSET_BASE}/favicon-16x16.png" sizes="16x16">
</head>
<body>
<div id="swagger-ui" data-url="${escapeAttr(documentUrl)}"></div>
<script src="${ASSET_BASE}/swagger-ui-bundle.js" charset="utf-8"></script>
<script src="${ASSET_BASE}/swagger-ui-standalone-preset.js" charset="utf-8"></script>
<script src="${ASSET_BASE}/swagger-initializer.js" charset="utf-8"></script>
</body>
</html>`;
}

/** Same-origin scripts only; Swagger UI sets inline styles and uses data: images. */
export const DOCS_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'";
