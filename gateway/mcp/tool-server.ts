/**
 * One caller's MCP server: the SDK's McpServer with exactly the tools offered to that caller
 * (gateway/mcp/tools.ts), each running its trusted document through `execute` (the gateway's own
 * GraphQL execution, gateway/mcp/http-endpoint.ts). Built for every request: the stateless pattern
 * of the SDK, and the reason `tools/list` can be the caller's own without any session.
 *
 * A result is the operation's data, as JSON text and as `structuredContent` (checked by the SDK
 * against the tool's output schema). A refused or failed call is a tool result with `isError: true`
 * whose text starts with the API's code (`NOT_FOUND: …`), so the model reads why and can say so.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ListToolsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { GraphQLSchema } from 'graphql';
import type { Identity } from '../../lib/identity';
import { operationSchemas, type OperationSchemas } from './operation-schemas';
import { ASSISTANT_TOOLS, toolsFor, type AssistantTool } from './tools';

/** What a tool's document answered: a GraphQL response body. */
export interface GraphQLAnswer {
  data?: Record<string, unknown> | null;
  errors?: { message?: string; extensions?: { code?: unknown } }[];
}

export type ExecuteDocument = (document: string, operationName: string, variables: Record<string, unknown>) => Promise<GraphQLAnswer>;

export interface PreparedTool {
  tool: AssistantTool;
  schemas: OperationSchemas;
  input: Record<string, z.ZodType>;
  output: z.ZodObject;
}

export const SERVER_INFO = { name: 'onyx-support-directory', version: '1.0.0' } as const;

const INSTRUCTIONS =
  'Tools of the OnyxCeph³ support network: whom a practice contacts for a support topic under its license, who escalates and bills, ' +
  'support partners and their prices by country, maintenance fees. Start with list_support_topics to find a topic id. The tools ' +
  'listed are the ones the caller may use; a license the caller may not see answers NOT_FOUND. Nothing is changed by any tool.';

/** Every tool's schemas, read once from the schema the gateway serves; a tool that does not fit stops the start, naming it. */
export function prepareTools(schema: GraphQLSchema): Map<string, PreparedTool> {
  const prepared = new Map<string, PreparedTool>();
  for (const tool of ASSISTANT_TOOLS) {
    let schemas: OperationSchemas;
    try {
      schemas = operationSchemas(schema, tool.document);
    } catch (error) {
      throw new Error(`MCP tool ${tool.name}: its document does not fit the schema: ${error instanceof Error ? error.message : error}`);
    }
    // The variables the caller's identity supplies are not asked for (my_routing_standing's providerId).
    const supplied = new Set(Object.keys(tool.fromCaller ?? {}));
    const input = Object.fromEntries(
      Object.entries(schemas.variables)
        .filter(([name]) => !supplied.has(name))
        .map(([name, variable]) => [name, tool.inputDescriptions?.[name] ? variable.describe(tool.inputDescriptions[name]) : variable]),
    );
    prepared.set(tool.name, { tool, schemas, input, output: schemas.data });
  }
  return prepared;
}

/** A refused or failed call: each error as "CODE: message", the way the API names it. */
export function errorResult(lines: string[]): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: lines.join('\n') }] };
}

function answerResult(prepared: PreparedTool, answer: GraphQLAnswer, variables: Record<string, unknown>): CallToolResult {
  if (answer.errors?.length) {
    return errorResult(
      answer.errors.map((error) => `${typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR'}: ${error.message ?? ''}`),
    );
  }
  const data = answer.data;
  if (!data) return errorResult(['INTERNAL_SERVER_ERROR: the gateway answered without data.']);
  const nothing = prepared.tool.nothingFound?.(data, variables);
  if (nothing) return errorResult([nothing]);
  return { content: [{ type: 'text', text: JSON.stringify(data) }], structuredContent: data };
}

/** The MCP server of one caller: the tools offered to it, each run through `execute`. */
export function createToolServer(prepared: Map<string, PreparedTool>, caller: Identity, execute: ExecuteDocument): McpServer {
  const server = new McpServer(SERVER_INFO, { capabilities: { tools: { listChanged: false } }, instructions: INSTRUCTIONS });
  // Only the tools that can run here (PERSISTED_DOCUMENTS=only offers those of the trusted file).
  const offered = toolsFor(caller).filter((tool) => prepared.has(tool.name));
  // McpServer answers tools/list only once a tool is registered; a caller with none gets an empty list.
  if (offered.length === 0) server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [] }));
  for (const tool of offered) {
    const one = prepared.get(tool.name)!;
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: one.input,
        outputSchema: one.output,
        annotations: { title: tool.title, readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      },
      async (args: Record<string, unknown>) => {
        const supplied = Object.entries(tool.fromCaller ?? {}).map(([name, value]) => [name, value(caller)]);
        const variables = { ...args, ...Object.fromEntries(supplied) };
        return answerResult(one, await execute(tool.document, one.schemas.operationName, variables), variables);
      },
    );
  }
  return server;
}
