import type { ImageType } from '../../core/images.ts';

/** A receipt may be up to 5 MB: phone photos are 2-5 MB. The app lets this path's body be a little larger. */
export const maxReceiptBytes = 5 * 1024 * 1024;

/** The photo check is the core's (src/core/images.ts), shared with the pictures of stories. */
export { imageType } from '../../core/images.ts';
export type ReceiptType = ImageType;
