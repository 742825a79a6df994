import { ConfigError, loadConfig } from '@showroom/core';
import { filesConfig } from './files.config';

const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env, [filesConfig]);
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
};

describe('files config section', () => {
  it('defaults to Postgres blobs and reads the S3 settings', () => {
    expect(loadConfig({}, [filesConfig]).blobStorage.driver).toBe('postgres');
    const s3 = loadConfig({ BLOB_STORAGE: 's3', S3_BUCKET: 'dealer-files', S3_PREFIX: 'showroom/', S3_ENDPOINT: 'http://minio:9000', S3_FORCE_PATH_STYLE: 'true' }, [filesConfig]).blobStorage.s3;
    expect(s3).toMatchObject({ bucket: 'dealer-files', prefix: 'showroom/', endpoint: 'http://minio:9000', forcePathStyle: true, region: 'us-east-1' });
  });

  it('names what is missing or malformed', () => {
    expect(problems({ BLOB_STORAGE: 's3' })).toEqual(['S3_BUCKET: required when BLOB_STORAGE=s3']);
    expect(problems({ S3_ACCESS_KEY_ID: 'AKID' })).toEqual(['S3_SECRET_ACCESS_KEY: set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither']);
    expect(problems({ S3_PREFIX: '../up' })[0]).toMatch(/^S3_PREFIX/);
    expect(problems({ S3_BUCKET: 'Bad_Bucket' })[0]).toMatch(/^S3_BUCKET/);
  });
});
