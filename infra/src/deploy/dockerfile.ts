import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { parts, repoRoot } from '../parts.ts';

/** The root Dockerfile: one target (final stage) per part of `npm start`. */
export const dockerfilePath = path.join(repoRoot, 'Dockerfile');

interface Stage {
  name: string;
  /** The stage or image it starts from. */
  from: string;
  instructions: Instruction[];
}

function stagesOf(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    const keyword = instruction.getKeyword();
    if (keyword === 'FROM') {
      const [from, , name] = instruction.getArguments().map((a) => a.getValue());
      stages.push({ name: name ?? from!, from: from!, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

/** Instructions that apply to `stage`, its ancestors' first (a stage inherits its parent's USER, ENV, HEALTHCHECK). */
function inherited(stages: Stage[], stage: Stage): Instruction[] {
  const parent = stages.find((s) => s.name === stage.from && s !== stage);
  return [...(parent ? inherited(stages, parent) : []), ...stage.instructions];
}

const last = (instructions: Instruction[], keyword: string) => instructions.filter((i) => i.getKeyword() === keyword).at(-1);
const args = (i: Instruction | undefined) => i?.getArguments().map((a) => a.getValue()) ?? [];

/**
 * Checks a Dockerfile offline (there is no container engine here): it parses without a diagnostic
 * (dockerfile-utils, the linter of VS Code's Docker support); each part has a target that listens on
 * the part's port, runs its server bundle, as a non-root user, with a HEALTHCHECK; what it COPYs from the
 * build context, and the repository scripts its RUN lines name, exist. Takes the file's text and the
 * context folder; returns one line per problem, empty when it is sound.
 */
export function checkDockerfile(text: string, context = repoRoot): string[] {
  const problems = validate(text).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
  const stages = stagesOf(text);
  for (const part of parts) {
    const stage = stages.find((s) => s.name === part.name);
    if (!stage) {
      problems.push(`${part.name}: no target`);
      continue;
    }
    const all = inherited(stages, stage);
    const port = String(part.port);
    if (!all.some((i) => i.getKeyword() === 'EXPOSE' && args(i).includes(port))) problems.push(`${part.name}: does not EXPOSE ${port}`);
    if (!all.some((i) => i.getKeyword() === 'ENV' && args(i).includes(`PORT=${port}`))) problems.push(`${part.name}: does not set PORT=${port}`);
    const cmd = args(last(all, 'CMD')).join(' ');
    if (!cmd.includes(`.cache/build/${part.name}/server.js`)) problems.push(`${part.name}: CMD does not run its server bundle (${cmd || 'none'})`);
    const user = args(last(all, 'USER'))[0];
    if (!user || user === 'root' || user === '0') problems.push(`${part.name}: runs as root`);
    if (!last(all, 'HEALTHCHECK')) problems.push(`${part.name}: no HEALTHCHECK`);
  }
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    const keyword = instruction.getKeyword();
    const values = args(instruction);
    // Flags (--from, --chown) are not arguments; a COPY --from takes from a stage, not the context.
    if ((keyword === 'COPY' || keyword === 'ADD') && !/\s--from=/.test(instruction.getTextContent())) {
      for (const source of values.filter((v) => !v.startsWith('--')).slice(0, -1)) {
        if (!existsSync(path.join(context, source))) problems.push(`line ${instruction.getRange().start.line + 1}: COPY source ${source} does not exist`);
      }
    }
    if (keyword === 'RUN') {
      for (const file of values.filter((v) => /^[\w./-]+\.(ts|js|mjs|sh)$/.test(v))) {
        if (!existsSync(path.join(context, file))) problems.push(`line ${instruction.getRange().start.line + 1}: RUN names ${file}, which does not exist`);
      }
    }
  }
  return problems;
}

/** The root Dockerfile's problems (see `checkDockerfile`). */
export const checkRootDockerfile = () => checkDockerfile(readFileSync(dockerfilePath, 'utf8'));
