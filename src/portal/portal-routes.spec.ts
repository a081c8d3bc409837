import { localPath, verifyPageRewrite } from './portal-routes';

describe('localPath', () => {
  it('keeps a path of this site, query included', () => {
    expect(localPath('/learn')).toBe('/learn');
    expect(localPath('/learn/courses/1?tab=2')).toBe('/learn/courses/1?tab=2');
  });

  it.each([
    '//evil.example',
    '/\\evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
    'learn',
    '',
    '/a b',
    undefined,
    42,
    ['/learn'],
    `/${'a'.repeat(600)}`,
  ])('sends %p home', (value) => {
    expect(localPath(value)).toBe('/');
  });
});

describe('verifyPageRewrite', () => {
  const rewrite = (method: string, url: string) => {
    const req = { method, url };
    let called = false;
    verifyPageRewrite(req, undefined, () => (called = true));
    expect(called).toBe(true);
    return req.url;
  };

  it('routes the QR code address /verify/:code to the page', () => {
    expect(rewrite('GET', '/verify/ABCDEFGHIJKLMNOPQRSTUVWX')).toBe(
      '/verification/ABCDEFGHIJKLMNOPQRSTUVWX',
    );
    expect(rewrite('HEAD', '/verify/ABC?x=1')).toBe('/verification/ABC?x=1');
  });

  it('leaves the API, other methods and deeper paths alone', () => {
    expect(rewrite('GET', '/api/v1/verify/ABC')).toBe('/api/v1/verify/ABC');
    expect(rewrite('POST', '/verify/ABC')).toBe('/verify/ABC');
    expect(rewrite('GET', '/verify/ABC/more')).toBe('/verify/ABC/more');
    expect(rewrite('GET', '/verify/')).toBe('/verify/');
  });
});
