import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';

/**
 * A subgraph call that never hangs and, when the subgraph is down or too slow, fails with an error
 * that names the subgraph instead of a bare socket message.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource {
  constructor(readonly name: string, url: string, timeoutMs: number) {
    super({
      url,
      fetcher: ((input: any, init: any) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) })) as any,
    });
  }

  override async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    try {
      return await super.process(options);
    } catch (error) {
      if (error instanceof GraphQLError && error.extensions?.response) throw error; // an HTTP error answer: already descriptive
      // Duck-typed: fetch's DOMException is not an instance of this realm's Error everywhere (jest).
      const reason = typeof error === 'object' && error && 'message' in error ? describeFailure(error as Error) : String(error);
      throw new GraphQLError(`Subgraph "${this.name}" is unavailable: ${reason}`, {
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: this.name },
      });
    }
  }
}

function describeFailure(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  // The gateway re-wraps the fetch's AbortSignal.timeout() error, so its name survives only in the message.
  if (error.name === 'TimeoutError' || (cause instanceof Error && cause.name === 'TimeoutError') || /TimeoutError|due to timeout/.test(error.message)) {
    return 'it did not answer in time';
  }
  const code = cause && typeof cause === 'object' && 'code' in cause ? String((cause as { code: unknown }).code) : undefined;
  return code ? `${error.message} (${code})` : error.message;
}
