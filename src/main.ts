// Composition root (filled in as the pipeline lands).
process.stdout.write('sipscope: not built yet\n');
