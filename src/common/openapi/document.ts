import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ERROR_STATUS_MEANING, ErrorStatus, errorExample } from './api-errors.decorator';
import { ErrorBodyDto } from './error-body.dto';

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;
type Responses = Operation['responses'];

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;
const ERROR_SCHEMA_REF = { $ref: `#/components/schemas/${ErrorBodyDto.name}` };

/**
 * The OpenAPI document of the API: what /docs serves and what `npm run openapi` writes to
 * openapi.json. It needs the app's routes only, not a database: the script builds it from an
 * app created in preview mode.
 */
export function createApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Cadre LMS — Hệ thống đào tạo cán bộ công đoàn')
    .setDescription(
      'Training, competencies and cadre planning for Vietnamese trade-union cadres. ' +
        'Each operation’s summary is in Vietnamese and its description in English. ' +
        'Every route declares its permission (x-permission); sign in with POST /api/v1/auth/login ' +
        'and send the access token as `Authorization: Bearer …`. Errors: ' +
        '{ statusCode, error, code, message, details[] } (schema ErrorBodyDto); messages in ' +
        'Vietnamese, or English with Accept-Language: en.',
    )
    .setVersion('1')
    .addServer('/', 'Máy chủ phục vụ tài liệu này (the server that serves this document)')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'The accessToken answered by POST /api/v1/auth/login (or /auth/refresh)',
    })
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ErrorBodyDto] });
  return finishDocument(document);
}

/**
 * What the decorators leave implicit, made explicit for every operation alike, so a route added
 * tomorrow is documented as today's: public routes need no token, any input can fail validation
 * (400), every 4xx carries the error body; and a stable key order so the committed file diffs well.
 */
export function finishDocument(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const permission = (operation as { 'x-permission'?: { permission?: string } })[
        'x-permission'
      ];
      if (permission?.permission === 'public') operation.security = [];
      const takesInput =
        (operation.parameters?.length ?? 0) > 0 || operation.requestBody !== undefined;
      if (takesInput && !operation.responses['400']) {
        operation.responses['400'] = errorResponse(400);
      }
      withErrorBodies(operation.responses);
      operation.responses = sortedByKey(operation.responses);
    }
  }
  document.paths = sortedByKey(document.paths);
  if (document.components?.schemas) {
    document.components.schemas = sortedByKey(document.components.schemas);
  }
  return document;
}

function errorResponse(status: ErrorStatus): Responses[string] {
  const meaning = ERROR_STATUS_MEANING[status];
  return {
    description: `${meaning.vi} (${meaning.en}).`,
    content: {
      'application/json': {
        schema: ERROR_SCHEMA_REF,
        examples: { [meaning.code]: { summary: meaning.code, value: errorExample(meaning.code) } },
      },
    },
  };
}

/** A 4xx declared with words only (e.g. ApiConflictResponse) still answers the error body. */
function withErrorBodies(responses: Responses): void {
  for (const [status, response] of Object.entries(responses)) {
    if (!response || !/^4\d\d$/.test(status) || '$ref' in response) continue;
    if (response.content) {
      // An operation that produces a file (@ApiProduces) still fails in JSON.
      const [first] = Object.values(response.content);
      if (!response.content['application/json'] && first) {
        response.content = { 'application/json': first };
      }
      continue;
    }
    const known = ERROR_STATUS_MEANING[Number(status) as ErrorStatus];
    response.content = {
      'application/json': {
        schema: ERROR_SCHEMA_REF,
        ...(known
          ? { examples: { [known.code]: { summary: known.code, value: errorExample(known.code) } } }
          : {}),
      },
    };
  }
}

function sortedByKey<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}
