import { SetMetadata, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { routeMetadata } from './route-metadata';

const KEY = 'test:marker';
const Marker = (value: string) => SetMetadata(KEY, value);

class BaseController {
  inherited(): void {}
}

@Marker('first-class')
class FirstController extends BaseController {
  @Marker('own-handler')
  own(): void {}

  plain(): void {}
}

@Marker('second-class')
class SecondController extends BaseController {}

class UnmarkedController {
  plain(): void {}
}

const contextOf = (controller: new () => object, handler: (...args: never[]) => unknown) =>
  ({ getHandler: () => handler, getClass: () => controller }) as unknown as ExecutionContext;

describe('routeMetadata', () => {
  const reflector = new Reflector();

  it('answers what getAllAndOverride answers: the handler first, then its class, else nothing', () => {
    const cases = [
      contextOf(FirstController, FirstController.prototype.own),
      contextOf(FirstController, FirstController.prototype.plain),
      contextOf(UnmarkedController, UnmarkedController.prototype.plain),
    ];
    for (const context of cases) {
      const expected = reflector.getAllAndOverride(KEY, [context.getHandler(), context.getClass()]);
      expect(routeMetadata(reflector, KEY, context)).toBe(expected);
      expect(routeMetadata(reflector, KEY, context)).toBe(expected);
    }
    expect(routeMetadata(reflector, KEY, cases[0]!)).toBe('own-handler');
    expect(routeMetadata(reflector, KEY, cases[1]!)).toBe('first-class');
    expect(routeMetadata(reflector, KEY, cases[2]!)).toBeUndefined();
  });

  it('keeps a shared inherited handler apart per controller class', () => {
    const handler = BaseController.prototype.inherited;
    expect(routeMetadata(reflector, KEY, contextOf(FirstController, handler))).toBe('first-class');
    expect(routeMetadata(reflector, KEY, contextOf(SecondController, handler))).toBe('second-class');
    expect(routeMetadata(reflector, KEY, contextOf(FirstController, handler))).toBe('first-class');
  });

  it('reads the metadata once per handler, class and key', () => {
    const spy = jest.spyOn(reflector, 'getAllAndOverride');
    const context = contextOf(UnmarkedController, UnmarkedController.prototype.plain);
    routeMetadata(reflector, 'test:another-key', context);
    routeMetadata(reflector, 'test:another-key', context);
    routeMetadata(reflector, 'test:another-key', context);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });
});
