// Prints the posts of a Hexo blog as Hexo itself reads them, as JSON: one object per post
// with its source path, title, date (in the blog's time zone, to the minute), category paths
// and tags. The conformance test compares this with `inkstone check --json`.
//
// Usage: node posts.js BLOG_DIR   (with `hexo` installed where Node finds it: NODE_PATH)
//
// Only Hexo's loader runs: init(), then source.process(), which reads front matter without
// rendering, so a post using a tag plugin Hexo lacks is still read.
'use strict';

const path = require('path');
const Hexo = require('hexo');

function categoryPath(category, byId) {
  const names = [];
  for (let c = category; c; c = c.parent ? byId.get(c.parent) : null) {
    names.unshift(c.name);
  }
  return names;
}

async function main() {
  const blog = path.resolve(process.argv[2] || '.');
  const hexo = new Hexo(blog, { silent: true, safe: true });
  await hexo.init();
  // Hexo reads a file as a post only if a renderer takes its extension; the blog's Markdown
  // renderer is a plugin, so a stand-in that renders nothing takes its place.
  for (const ext of ['md', 'markdown', 'mkd', 'mkdn', 'mdwn', 'mdtxt', 'mdtext']) {
    hexo.extend.renderer.register(ext, 'html', data => data.text, true);
  }
  await hexo.source.process();
  const byId = new Map(hexo.model('Category').map(c => [c._id, c]));
  const zone = hexo.config.timezone;
  const posts = hexo.model('Post').map(post => {
    const categories = post.categories.toArray();
    // A post in A ▸ B lists both A and B; its paths are those of the categories no other
    // category of the post descends from.
    const parents = new Set(categories.map(c => c.parent).filter(Boolean));
    const paths = categories
      .filter(c => !parents.has(c._id))
      .map(c => categoryPath(c, byId));
    const date = zone ? post.date.clone().tz(zone) : post.date.clone().local();
    return {
      source: post.source.replace(/^_posts\//, ''),
      title: post.title || '',
      date: date.format('YYYY-MM-DD HH:mm'),
      categories: paths.sort(),
      tags: post.tags.map(t => t.name).sort(),
    };
  });
  posts.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  // No hexo.exit(): it would save Hexo's cache (db.json) into the blog.
  process.stdout.write(JSON.stringify(posts, null, 1) + '\n');
}

main().catch(err => {
  console.error(err && err.stack ? err.stack : String(err));
  process.exit(1);
});
