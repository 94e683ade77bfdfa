import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validator } from '@cfworker/json-schema';
import { parseAllDocuments, parse } from 'yaml';
import { Namespace, ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { repoRoot } from '../parts.ts';

/** One object of a rendered manifest: what `kubectl apply` would send. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** Where the kustomize base, overlays and the committed Strimzi CRDs live. */
export const k8sDir = join(repoRoot, 'infra', 'k8s');

/**
 * Renders a kustomization with the machine's `kubectl kustomize` (offline) and parses every document.
 * Takes a folder relative to `infra/k8s` (`base`, `overlays/local`); throws if kubectl fails.
 */
export function renderKustomization(folder: string): K8sObject[] {
  const text = execFileSync('kubectl', ['kustomize', join(k8sDir, folder)], { encoding: 'utf8' });
  return parseAllDocuments(text).map((doc) => doc.toJSON() as K8sObject).filter(Boolean);
}

// The core kinds the manifests use, each checked against the Kubernetes OpenAPI schema that
// kubernetes-models generates its classes from.
const coreModels: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
};

const strimziCrds = ['040-Crd-kafka.yaml', '043-Crd-kafkatopic.yaml', '045-Crd-kafkanodepool.yaml'];

/** Strimzi's custom resources, validated against the CRDs' own `openAPIV3Schema` (committed in the repo). */
// An interpreting validator: the Kafka CRD's schema is 300 KB, which a compiling one (Ajv) takes
// tens of seconds to turn into code for a dozen objects. Kubernetes' x-kubernetes-* keywords are ignored.
let loaded: Map<string, Validator> | undefined;
function strimziValidators(): Map<string, Validator> {
  if (loaded) return loaded;
  const validators = new Map<string, Validator>();
  for (const file of strimziCrds) {
    const crd = parse(readFileSync(join(k8sDir, 'schemas', 'strimzi', file), 'utf8'));
    for (const version of crd.spec.versions) {
      validators.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, new Validator(version.schema.openAPIV3Schema, '7', false));
    }
  }
  loaded = validators;
  return validators;
}

/**
 * Checks each object against its schema: core kinds against Kubernetes', Strimzi's against its CRDs.
 * Returns one line per problem (`Kind/name: what`), empty when all are valid; a kind with no schema
 * here is a problem too, so nothing goes unchecked.
 */
export function validateObjects(objects: K8sObject[]): string[] {
  const strimzi = strimziValidators();
  const problems: string[] = [];
  for (const object of objects) {
    const id = `${object.kind}/${object.metadata?.name}`;
    const key = `${object.apiVersion}/${object.kind}`;
    const Model = coreModels[key];
    const crd = strimzi.get(key);
    if (Model) {
      try {
        new Model(object as never).validate();
      } catch (error) {
        problems.push(`${id}: ${(error as Error).message}`);
      }
    } else if (crd) {
      const result = crd.validate(object);
      // The leaf errors name the field; the rest repeat them up the tree.
      const leaves = result.errors.filter((e) => !['properties', 'items', 'allOf', 'anyOf', 'oneOf'].includes(e.keyword));
      for (const e of leaves) problems.push(`${id}: ${e.instanceLocation} ${e.error}`);
    } else {
      problems.push(`${id}: no schema for ${key}`);
    }
  }
  return problems;
}
