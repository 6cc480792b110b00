import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('starts with no configuration at all', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATA_DIR).toBe('./data');
    expect(config.FILES_DIR).toBe('./data/files');
    expect(config.MAX_UPLOAD_MB).toBe(50);
    expect(config.oneapiEnabled).toBe(false);
    expect(config.SUMMARY_MODEL).toBe(config.CHAT_MODEL);
  });

  it('names the variable that holds a bad value', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ MAX_UPLOAD_MB: '-1' })).toThrow(/MAX_UPLOAD_MB/);
    expect(() => loadConfig({ REDIS_URL: 'localhost:6379' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ ONEAPI_BASE_URL: 'not a url' })).toThrow(/ONEAPI_BASE_URL/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(ConfigError);
  });

  it('requires JWT_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: is required/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).JWT_SECRET).toHaveLength(32);
  });

  it('requires INTERNAL_TOKEN when the gateway calls a separate search service', () => {
    expect(() => loadConfig({ SEARCH_URL: 'http://search:3200' })).toThrow(/INTERNAL_TOKEN/);
  });

  it('treats empty strings as unset, as compose files often pass them', () => {
    const config = loadConfig({ REDIS_URL: '', QDRANT_URL: ' ', ONEAPI_BASE_URL: '' });
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.QDRANT_URL).toBeUndefined();
    expect(config.oneapiEnabled).toBe(false);
  });
});
