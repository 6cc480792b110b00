import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig, loadConfigOrExit } from './config.ts';

describe('loadConfig', () => {
  it('starts with no configuration at all', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATA_DIR).toBe('./data');
    expect(config.FILES_DIR).toBe('./data/files');
    expect(config.MAX_UPLOAD_MB).toBe(50);
    expect(config.oneapiEnabled).toBe(false);
    expect(config.SUMMARY_MODEL).toBe(config.CHAT_MODEL);
    expect(config.PARSE_IDLE_MS).toBe(5000);
  });

  it('names the variable that holds a bad value', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ MAX_UPLOAD_MB: '-1' })).toThrow(/MAX_UPLOAD_MB/);
    expect(() => loadConfig({ REDIS_URL: 'localhost:6379' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ ONEAPI_BASE_URL: 'not a url' })).toThrow(/ONEAPI_BASE_URL/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    expect(() => loadConfig({ PARSE_IDLE_MS: '5s' })).toThrow(/PARSE_IDLE_MS/);
  });

  it('requires JWT_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: is required/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).JWT_SECRET).toHaveLength(32);
  });

  it('lets anyone sign up in development and only invited people in production, unless SIGNUP says otherwise', () => {
    const secret = { JWT_SECRET: 'x'.repeat(32) };
    expect(loadConfig({}).SIGNUP).toBe('open');
    expect(loadConfig({ NODE_ENV: 'production', ...secret }).SIGNUP).toBe('invite');
    expect(loadConfig({ NODE_ENV: 'production', SIGNUP: 'open', ...secret }).SIGNUP).toBe('open');
    expect(loadConfig({ SIGNUP: 'closed' }).SIGNUP).toBe('closed');
    expect(loadConfig({ NODE_ENV: 'production', SIGNUP: '', ...secret }).SIGNUP).toBe('invite');
    expect(() => loadConfig({ SIGNUP: 'everyone' })).toThrow(/SIGNUP/);
  });

  it('requires INTERNAL_TOKEN when the gateway calls a separate search service', () => {
    expect(() => loadConfig({ SEARCH_URL: 'http://search:3200' })).toThrow(/INTERNAL_TOKEN/);
  });

  it('takes RERANK_MODEL only with a gateway to rerank through', () => {
    expect(loadConfig({}).RERANK_MODEL).toBeUndefined();
    expect(() => loadConfig({ RERANK_MODEL: 'bge-reranker-v2-m3' })).toThrow(/RERANK_MODEL: needs ONEAPI_BASE_URL/);
    const config = loadConfig({ RERANK_MODEL: ' bge-reranker-v2-m3 ', ONEAPI_BASE_URL: 'http://oneapi:3000' });
    expect(config.RERANK_MODEL).toBe('bge-reranker-v2-m3');
  });

  it('treats empty strings as unset, as compose files often pass them', () => {
    const config = loadConfig({ REDIS_URL: '', QDRANT_URL: ' ', ONEAPI_BASE_URL: '' });
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.QDRANT_URL).toBeUndefined();
    expect(config.oneapiEnabled).toBe(false);
  });
});

describe('loadConfigOrExit', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('applies a service default only where the environment sets nothing', () => {
    vi.stubEnv('PORT', undefined);
    vi.stubEnv('LOG_LEVEL', 'warn');
    expect(loadConfigOrExit({ PORT: '3200', LOG_LEVEL: 'debug' })).toMatchObject({ PORT: 3200, LOG_LEVEL: 'warn' });
    vi.stubEnv('PORT', '4000');
    expect(loadConfigOrExit({ PORT: '3200' }).PORT).toBe(4000);
  });

  it('prints each bad variable and exits with code 1', () => {
    vi.stubEnv('PORT', 'eighty');
    const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${code}`);
    });
    expect(() => loadConfigOrExit()).toThrow('exit 1');
    expect(printed).toHaveBeenCalledWith(expect.stringContaining('PORT'));
  });
});
