// Preloaded with `node --import` into a sipscope run: reports the process's peak RSS on its last stderr line.
process.on('exit', () => {
  process.stderr.write(`\nmaxrss-kib ${process.resourceUsage().maxRSS}\n`);
});
