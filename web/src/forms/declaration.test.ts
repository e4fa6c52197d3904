import { describe, expect, it } from 'vitest';
import { checkDeclaration, type DeclarationInput, maxPhotoBytes, readCentimetres } from './declaration.ts';

const good: DeclarationInput = {
  widthCm: '300',
  heightCm: '1,250.5',
  textLanguage: 'thai-mixed',
  moving: 'false',
  text: ' ร้านข้าวมันไก่ KHON KAEN ',
  photos: [{ name: 'sign.jpg', type: 'image/jpeg', size: 200_000 }],
  location: { lon: 102.83, lat: 16.43 },
};

describe('signboard declaration form check', () => {
  it('reads sizes as people type them', () => {
    expect(readCentimetres('1,250.5')).toBe(1250.5);
    expect(readCentimetres('120,5')).toBe(120.5);
    expect(readCentimetres(' 80 ')).toBe(80);
    expect(readCentimetres('1.2.3')).toBeNull();
    expect(readCentimetres('-5')).toBeNull();
    expect(readCentimetres('1e3')).toBeNull();
  });

  it('sends the numbers, the text language and a trimmed text', () => {
    expect(checkDeclaration(good)).toEqual({
      fields: {
        widthCm: 300,
        heightCm: 1250.5,
        textLanguage: 'thai-mixed',
        moving: false,
        text: 'ร้านข้าวมันไก่ KHON KAEN',
        location: { lon: 102.83, lat: 16.43 },
      },
    });
    const noPlace = checkDeclaration({ ...good, location: null, moving: 'true' });
    expect(noPlace).toEqual({ fields: expect.not.objectContaining({ location: expect.anything() }) });
    expect('fields' in noPlace && noPlace.fields.moving).toBe(true);
  });

  it('sends a past installation day and refuses a future, impossible or garbled one', () => {
    const today = '2026-11-26';
    const sent = checkDeclaration({ ...good, installedOn: '2026-11-26' }, today);
    expect('fields' in sent && sent.fields.installedOn).toBe('2026-11-26');
    const blank = checkDeclaration({ ...good, installedOn: ' ' }, today);
    expect('fields' in blank && 'installedOn' in blank.fields).toBe(false);
    for (const day of ['2026-11-27', '2026-02-30', '1967-12-31', '26/11/2569'])
      expect(checkDeclaration({ ...good, installedOn: day }, today)).toEqual({
        errors: { '/installedOn': 'tax.declare.errors.installedOn' },
      });
  });

  it('explains each mistake beside its field', () => {
    expect(
      checkDeclaration({
        widthCm: '',
        heightCm: 'tall',
        textLanguage: '2',
        moving: '',
        text: '   ',
        photos: [],
        location: { lon: 100.5, lat: 13.75 },
      }),
    ).toEqual({
      errors: {
        '/widthCm': 'form.errors.required',
        '/heightCm': 'tax.declare.errors.number',
        '/textLanguage': 'tax.declare.errors.language',
        '/moving': 'tax.declare.errors.moving',
        '/text': 'form.errors.required',
        '/photos': 'tax.declare.errors.photoRequired',
        '/location': 'tax.declare.errors.outside',
      },
    });
    expect(checkDeclaration({ ...good, widthCm: '0', heightCm: '100001' })).toEqual({
      errors: { '/widthCm': 'tax.declare.errors.size', '/heightCm': 'tax.declare.errors.size' },
    });
    expect(checkDeclaration({ ...good, text: 'ก'.repeat(1001) })).toEqual({
      errors: { '/text': 'tax.declare.errors.textLong' },
    });
  });

  it('takes one to five JPEG, PNG, WebP or HEIC photos of at most 12 MB', () => {
    const photo = good.photos[0];
    const errorOf = (photos: DeclarationInput['photos']) => {
      const r = checkDeclaration({ ...good, photos });
      return 'errors' in r ? r.errors['/photos'] : undefined;
    };
    expect(errorOf([photo, photo, photo, photo, photo])).toBeUndefined();
    expect(errorOf(Array(6).fill(photo))).toBe('tax.declare.errors.photoCount');
    expect(errorOf([{ ...photo, type: 'image/heic' }])).toBeUndefined();
    expect(errorOf([{ ...photo, name: 'IMG_0001.HEIC', type: '' }])).toBeUndefined();
    expect(errorOf([{ ...photo, type: 'image/gif' }])).toBe('tax.declare.errors.photoType');
    expect(errorOf([{ ...photo, type: '' }])).toBe('tax.declare.errors.photoType');
    expect(errorOf([{ ...photo, size: maxPhotoBytes + 1 }])).toBe('tax.declare.errors.photoSize');
    expect(errorOf([{ ...photo, size: maxPhotoBytes }])).toBeUndefined();
  });
});
