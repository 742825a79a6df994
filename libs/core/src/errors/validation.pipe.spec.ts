import { IsString } from 'class-validator';
import { createValidationPipe } from './validation.pipe';

class AskDto {
  @IsString()
  content: string;
}

/** The pipe sockets use too (SocketCommandRegistry): hygiene runs before class-transformer. */
describe('createValidationPipe', () => {
  const pipe = createValidationPipe();
  const body = (value: unknown) => pipe.transform(value, { type: 'body', metatype: AskDto });

  it('refuses NUL and lone surrogates with 422 naming the field', async () => {
    await expect(body({ content: 'a\u0000b' })).rejects.toMatchObject({ status: 422, code: 'VALIDATION_FAILED', details: [{ field: 'content' }] });
    await expect(body({ content: '\ud800' })).rejects.toMatchObject({ status: 422, details: [{ field: 'content' }] });
  });

  it('refuses nesting past the limit before class-transformer recurses into it', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 10_000; i += 1) deep = { a: deep };
    await expect(body({ content: 'hi', deep })).rejects.toMatchObject({ status: 400, code: 'BODY_TOO_DEEP' });
  });

  it('refuses prototype keys like unknown fields and passes good input', async () => {
    await expect(body(JSON.parse('{"content":"hi","__proto__":{"x":1}}'))).rejects.toMatchObject({ status: 422, details: [{ field: '__proto__' }] });
    await expect(body({ content: 'Deal 🚗' })).resolves.toMatchObject({ content: 'Deal 🚗' });
  });
});
