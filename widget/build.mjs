// Bundles the widget into dist/widget.js (one self-contained IIFE script)
// and copies the demo page. Run with `npm run build` (after `npm ci`).
import { build } from 'esbuild';
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const pkg = JSON.parse(await readFile(join(here, 'package.json'), 'utf8'));

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

const result = await build({
  entryPoints: [join(here, 'src', 'widget.js')],
  outfile: join(dist, 'widget.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2019'],
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  loader: { '.css': 'text' },
  define: { 'process.env.NODE_ENV': '"production"' },
  banner: { js: `/*! symptom-chat-widget ${pkg.version} | deep-chat ${pkg.dependencies['deep-chat']} | socket.io-client ${pkg.dependencies['socket.io-client']} */` },
  metafile: true,
  logLevel: 'warning',
});
await copyFile(join(here, 'demo', 'index.html'), join(dist, 'index.html'));

const bytes = result.metafile.outputs[Object.keys(result.metafile.outputs).find((k) => k.endsWith('widget.js'))].bytes;
console.log(`widget/dist/widget.js ${(bytes / 1024).toFixed(0)} KiB`);
