/**
 * An error the engine masks (anything but a GraphQLError raised on purpose) reaches the client as
 * INTERNAL_SERVER_ERROR with an error id; its full text is logged once, under that id and the id
 * of the request it was answered to, when the answer is processed.
 */
import { GraphQLError } from 'graphql';
import { logMaskedError, maskUnexpectedError } from '../../gateway/protection/masked-errors';
import { captureLogs } from '../support/logs';

test('a masked error is logged once, when its request is known, with both ids and without reaching the client', () => {
  const logs = captureLogs('info');
  try {
    const masked = maskUnexpectedError(new Error('connect ECONNREFUSED 10.1.2.3:5432'), 'Unexpected error.');
    expect(masked.message).toBe('Unexpected error.');
    expect(masked.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', errorId: expect.any(String) });
    expect(logs.records()).toEqual([]);
    logMaskedError(masked, 'request-7');
    logMaskedError(masked, 'request-7');
    expect(logs.records()).toEqual([
      expect.objectContaining({
        event: 'unexpected_error',
        requestId: 'request-7',
        errorId: masked.extensions.errorId,
        error: expect.objectContaining({ message: 'connect ECONNREFUSED 10.1.2.3:5432' }),
      }),
    ]);
  } finally {
    logs.restore();
  }
});

test('a GraphQL error raised on purpose passes as it is and logs nothing', () => {
  const logs = captureLogs('info');
  try {
    const raised = new GraphQLError('No license L-X', { extensions: { code: 'NOT_FOUND' } });
    expect(maskUnexpectedError(raised, 'Unexpected error.')).toBe(raised);
    logMaskedError(raised, 'request-8');
    expect(logs.records()).toEqual([]);
  } finally {
    logs.restore();
  }
});
