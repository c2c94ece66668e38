// GraphiQL from npm assets (UMD builds), so the IDE works offline; Apollo's
// landing page and Sandbox load from a CDN and do not.
import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Router } from 'express';

const require = createRequire(import.meta.url);
const dir = (pkg: string) => path.dirname(require.resolve(`${pkg}/package.json`));

const ASSETS: Record<string, string> = {
  'react.js': path.join(dir('react'), 'umd/react.production.min.js'),
  'react-dom.js': path.join(dir('react-dom'), 'umd/react-dom.production.min.js'),
  'graphiql.js': path.join(dir('graphiql'), 'graphiql.min.js'),
  'graphiql.css': path.join(dir('graphiql'), 'graphiql.min.css'),
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>labgraph · GraphiQL</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/graphiql/assets/graphiql.css">
<style>html,body,#graphiql{height:100%;margin:0}</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="/graphiql/assets/react.js"></script>
<script src="/graphiql/assets/react-dom.js"></script>
<script src="/graphiql/assets/graphiql.js"></script>
<script>
  const fetcher = GraphiQL.createFetcher({ url: '/graphql' });
  const defaultHeaders = JSON.stringify({ Authorization: 'Bearer <your API key>' }, null, 2);
  const defaultQuery = '# labgraph: put your API key in the Headers tab below.\\n{\\n  me { id kind role groups }\\n  templates { code name }\\n}\\n';
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, { fetcher, defaultQuery, defaultHeaders, headerEditorEnabled: true, shouldPersistHeaders: true }),
  );
</script>
</body>
</html>`;

export function graphiqlAssets(): Router {
  const router = express.Router();
  for (const [name, file] of Object.entries(ASSETS)) {
    router.get(`/graphiql/assets/${name}`, (_req, res) => {
      res.setHeader('Cache-Control', 'public, max-age=86400');
      res.sendFile(file);
    });
  }
  return router;
}

/** True for a browser navigating to /graphql (HTML accepted, no GraphQL query in the URL). */
export function wantsGraphiql(req: express.Request): boolean {
  return req.method === 'GET' && !req.query.query && Boolean(req.accepts(['application/json', 'text/html']) === 'text/html');
}

export function graphiqlPage(): string {
  return PAGE;
}
