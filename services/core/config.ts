import { z } from 'zod';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const optionalUrl = optionalString.pipe(z.url().optional());

/** Who may create an account: anyone, holders of an admin's invitation, or nobody (the first account always). */
export const signupPolicies = ['open', 'invite', 'closed'] as const;
export type SignupPolicy = (typeof signupPolicies)[number];

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** Every environment variable Context OS reads, validated once at start. */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: port(3000),
    HOST: z.string().default('0.0.0.0'),
    DATA_DIR: z.string().min(1).default('./data'),
    FILES_DIR: optionalString,
    BACKUP_DIR: optionalString,
    JWT_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    REDIS_URL: optionalString.pipe(
      z
        .string()
        .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
        .optional(),
    ),
    REDIS_TLS_CA_FILE: optionalString,
    QDRANT_URL: optionalUrl,
    QDRANT_API_KEY: optionalString,
    /** The embedded store's search: an HNSW index per large partition, or an exact scan of every vector. */
    VECTOR_INDEX: z.enum(['hnsw', 'exact']).default('hnsw'),
    /** Partitions with fewer vectors are scanned exactly even with VECTOR_INDEX=hnsw. */
    VECTOR_INDEX_MIN_POINTS: z.coerce.number().int().min(0).max(100_000_000).default(2000),
    ONEAPI_BASE_URL: optionalUrl,
    ONEAPI_KEY: optionalString,
    EMBEDDING_MODEL: z.string().min(1).default('text-embedding-3-small'),
    CHAT_MODEL: z.string().min(1).default('gpt-4o-mini'),
    SUMMARY_MODEL: optionalString,
    RERANK_MODEL: optionalString,
    EMBEDDING_DIMENSION: optionalString.pipe(z.coerce.number<string | undefined>().int().min(1).max(8192).optional()),
    ONEAPI_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(60_000),
    ONEAPI_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
    ONEAPI_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    SEARCH_URL: optionalUrl,
    INTERNAL_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
    MAX_UPLOAD_MB: z.coerce.number().positive().max(2048).default(50),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    PUBLIC_URL: optionalUrl,
    TRUST_PROXY: z
      .enum(['true', 'false', '1', '0', ''])
      .default('false')
      .transform((v) => v === 'true' || v === '1'),
    URL_IMPORT_ALLOW_PRIVATE: z
      .enum(['true', 'false', '1', '0', ''])
      .default('false')
      .transform((v) => v === 'true' || v === '1'),
    INGEST_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
    /** The isolated parsing process ends after this long without a file to parse. */
    PARSE_IDLE_MS: z.coerce.number().int().min(0).max(3_600_000).default(5_000),
    SIGNUP: optionalString.pipe(z.enum(signupPolicies).optional()),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is required when NODE_ENV=production' });
    }
    if (env.RERANK_MODEL && !env.ONEAPI_BASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['RERANK_MODEL'],
        message: 'needs ONEAPI_BASE_URL, the gateway that reranks',
      });
    }
    if (env.SEARCH_URL && !env.INTERNAL_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['INTERNAL_TOKEN'], message: 'is required when SEARCH_URL is set' });
    }
  });

export type RawConfig = z.infer<typeof configSchema>;

/** Parsed configuration with derived paths filled in. */
export type Config = RawConfig & {
  FILES_DIR: string;
  /** `open` in development, `invite` under NODE_ENV=production, unless SIGNUP says otherwise. */
  SIGNUP: SignupPolicy;
  BACKUP_DIR: string;
  SUMMARY_MODEL: string;
  /** True when an OpenAI-compatible gateway is configured. */
  oneapiEnabled: boolean;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws a ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`));
  }
  const raw = parsed.data;
  return {
    ...raw,
    FILES_DIR: raw.FILES_DIR ?? `${raw.DATA_DIR}/files`,
    SIGNUP: raw.SIGNUP ?? (raw.NODE_ENV === 'production' ? 'invite' : 'open'),
    BACKUP_DIR: raw.BACKUP_DIR ?? `${raw.DATA_DIR}/backups`,
    SUMMARY_MODEL: raw.SUMMARY_MODEL ?? raw.CHAT_MODEL,
    oneapiEnabled: Boolean(raw.ONEAPI_BASE_URL),
  };
}

/**
 * Loads the configuration for a service entry point: `defaults` (such as a service's own
 * PORT) apply under process.env; an invalid environment prints each problem and exits 1.
 */
export function loadConfigOrExit(defaults: Record<string, string> = {}): Config {
  try {
    return loadConfig({ ...defaults, ...process.env });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}
