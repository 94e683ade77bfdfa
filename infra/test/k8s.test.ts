import { describe, expect, it } from 'vitest';
import { renderKustomization, validateObjects, type K8sObject } from '../src/deploy/manifests.ts';
import { parts } from '../src/parts.ts';

/**
 * The Kubernetes manifests under infra/k8s, rendered offline with the machine's `kubectl kustomize`
 * and checked against the Kubernetes and Strimzi schemas, then against what the storefront needs.
 */
const rendered = renderKustomization('overlays/local');
const ofKind = (kind: string) => rendered.filter((o) => o.kind === kind);
const named = (kind: string, name: string) => ofKind(kind).find((o) => o.metadata.name === name);
type Container = { name: string; ports: { name: string; containerPort: number }[]; readinessProbe?: any; livenessProbe?: any; envFrom?: any[]; env?: any[] };
const container = (d: K8sObject) => (d as any).spec.template.spec.containers[0] as Container;

describe('infra/k8s', () => {
  it('renders the base and the local overlay into objects valid against their schemas', () => {
    expect(validateObjects(renderKustomization('base'))).toEqual([]);
    expect(validateObjects(rendered)).toEqual([]);
  });

  it('rejects an object its schema does not allow, and a kind it has no schema for', () => {
    const deployment = structuredClone(ofKind('Deployment')[0]) as any;
    deployment.spec.replicas = 'two';
    const topic = structuredClone(ofKind('KafkaTopic')[0]) as any;
    delete topic.spec.partitions;
    topic.spec.replicas = -1;
    const problems = validateObjects([deployment, topic, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }]);
    expect(problems).toEqual([
      expect.stringMatching(/^Deployment\/.+replicas must be integer/),
      expect.stringMatching(/^KafkaTopic\/.+replicas -1 is less than 1/),
      'Widget/w: no schema for example.com/v1/Widget',
    ]);
  });

  it('runs every part of `npm start` as a Deployment on its port, behind a Service, with a disruption budget', () => {
    for (const part of parts) {
      const deployment = named('Deployment', part.name);
      expect(deployment, part.name).toBeDefined();
      expect(container(deployment!).ports).toEqual([{ name: 'http', containerPort: part.port }]);
      expect((named('Service', part.name) as any)?.spec.ports[0]).toMatchObject({ port: part.port, targetPort: 'http' });
      expect(named('PodDisruptionBudget', part.name), part.name).toBeDefined();
      if (part.database) {
        const databaseUrl = container(deployment!).env?.find((e) => e.name === 'DATABASE_URL');
        expect(databaseUrl?.valueFrom.secretKeyRef.key, part.name).toBe(part.database);
      }
    }
  });

  it('takes a pod out of service on /ready and restarts it on /health, as a non-root process', () => {
    for (const deployment of ofKind('Deployment')) {
      const c = container(deployment);
      expect(c.readinessProbe.httpGet, deployment.metadata.name).toEqual({ path: '/ready', port: 'http' });
      expect(c.livenessProbe.httpGet, deployment.metadata.name).toEqual({ path: '/health', port: 'http' });
      expect((deployment as any).spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    }
  });

  it('reads its variables from ConfigMaps and Secrets that exist in the render', () => {
    const configMaps = new Set(ofKind('ConfigMap').map((o) => o.metadata.name));
    const secrets = new Set(ofKind('Secret').map((o) => o.metadata.name));
    for (const deployment of ofKind('Deployment')) {
      const c = container(deployment);
      for (const source of c.envFrom ?? []) expect(configMaps, deployment.metadata.name).toContain(source.configMapRef.name);
      for (const variable of c.env ?? []) {
        const ref = variable.valueFrom?.secretKeyRef;
        if (ref) expect(secrets, deployment.metadata.name).toContain(ref.name);
      }
    }
  });

  it('scales each BFF with a HorizontalPodAutoscaler', () => {
    const targets = ofKind('HorizontalPodAutoscaler').map((h: any) => h.spec.scaleTargetRef.name).sort();
    expect(targets).toEqual(['bff-mobile', 'bff-web']);
  });

  it('runs Kafka as three KRaft nodes with every topic on three replicas, two in sync', () => {
    const pool = ofKind('KafkaNodePool')[0] as any;
    expect(pool.spec).toMatchObject({ replicas: 3, roles: ['controller', 'broker'] });
    expect((ofKind('Kafka')[0] as any).spec.kafka.config).toMatchObject({ 'min.insync.replicas': 2, 'default.replication.factor': 3 });
    const topics = ofKind('KafkaTopic') as any[];
    const names = topics.map((t) => t.spec.topicName);
    for (const service of ['catalog', 'inventory', 'cart', 'orders', 'payments', 'identity']) {
      expect(names).toContain(`${service}.events`);
      expect(names).toContain(`${service}.events.dlq`);
    }
    for (const topic of topics) expect(topic.spec).toMatchObject({ replicas: 3, config: { 'min.insync.replicas': 2 } });
  });
});
