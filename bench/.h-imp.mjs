import nodeModule from 'node:module';
nodeModule.enableCompileCache();
for (const m of process.argv.slice(2)) await import(m);
