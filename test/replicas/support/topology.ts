/** The topology the multi-replica suite proves, which deploy/kubernetes runs too (test/repo/kubernetes.test.ts checks the replica counts). */
export type Service = 'gateway' | 'providers' | 'licenses' | 'support';
/** In start order: the subgraphs first (the gateways' readiness asks them). */
export const SERVICES: Service[] = ['providers', 'licenses', 'support', 'gateway'];
export const REPLICAS: Record<Service, number> = { gateway: 2, providers: 2, licenses: 2, support: 1 };
