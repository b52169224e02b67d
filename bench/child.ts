import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRssMiB } from './server.ts';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));

/**
 * Runs a bench script (`bench/<script>`) as its own process with `config` in a JSON file as its argument, sampling
 * its RSS every 100 ms — from the moment it prints `MEASURING` when `waitForMeasuring`, else throughout — and
 * resolves with the JSON of its `RESULT {…}` line. Lines of its standard error that start with two spaces are
 * progress, echoed here.
 */
export function runBenchProcess<R>(
  script: string,
  config: unknown,
  options: { waitForMeasuring?: boolean; env?: Record<string, string> } = {},
): Promise<{ result: R; rssPeakMiB: number; rssEndMiB: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'linli-bench-child-'));
  const file = path.join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(config));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(BENCH_DIR, script), file], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    let last = 0;
    let measuring = !options.waitForMeasuring;
    const timer = setInterval(() => {
      const rss = child.pid ? readRssMiB(child.pid) : null;
      if (rss !== null && measuring) {
        last = rss;
        peak = Math.max(peak, rss);
      }
    }, 100);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('MEASURING\n')) measuring = true;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      for (const line of text.split('\n')) if (line.startsWith('  ')) console.log(line);
      stderr = (stderr + text).slice(-4000);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      clearInterval(timer);
      rmSync(dir, { recursive: true, force: true });
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) {
        reject(new Error(`bench/${script} exited with ${code}: ${stderr}`));
        return;
      }
      resolve({ result: JSON.parse(line.slice('RESULT '.length)) as R, rssPeakMiB: peak, rssEndMiB: last });
    });
  });
}
