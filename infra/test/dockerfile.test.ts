import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkDockerfile, dockerfilePath } from '../src/deploy/dockerfile.ts';

const text = readFileSync(dockerfilePath, 'utf8');

describe('the Dockerfile', () => {
  it('parses, and gives every part a non-root target on its port that runs its server bundle with a health check', () => {
    expect(checkDockerfile(text)).toEqual([]);
  });

  it('names what is wrong: a syntax error, a missing target, a root user, a file it copies or runs that is not there', () => {
    const broken = text
      .replace('FROM runtime AS cart\n', 'FROM runtime AS kart\n')
      .replace('USER node', 'USER root')
      .replace('RUN npx tsx infra/src/deploy/build-parts.ts', 'RUNN npx tsx infra/src/deploy/build-all.ts')
      .replace('COPY . .', 'COPY no-such-folder .');
    const problems = checkDockerfile(broken);
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/Unknown instruction: RUNN/),
      'cart: no target',
      'catalog: runs as root',
      expect.stringMatching(/COPY source no-such-folder does not exist/),
    ]));
  });
});
