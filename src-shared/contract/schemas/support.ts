/** The support bundle: exactly the files the holder previews go into the zip. */
import { z } from 'zod';

export const bundleFileSchema = z.object({
  name: z.string(),
  description: z.string(),
  sizeBytes: z.number().int(),
  /** The whole text of the file as it goes into the zip, for the preview. */
  content: z.string(),
});
export type BundleFile = z.infer<typeof bundleFileSchema>;

export const bundlePreviewSchema = z.object({
  /** Pass it to support.create to zip exactly these files. */
  id: z.string(),
  files: z.array(bundleFileSchema),
});
export type BundlePreview = z.infer<typeof bundlePreviewSchema>;

export const bundleResultSchema = z.object({
  path: z.string(),
  fileName: z.string(),
  sizeBytes: z.number().int(),
  files: z.array(z.string()),
});
export const bundleCreateInputSchema = z
  .object({
    /** The preview the holder saw; without it the files are collected afresh. */
    previewId: z.string().max(64).optional(),
  })
  .strict();
export type BundleCreateInput = z.infer<typeof bundleCreateInputSchema>;

export type BundleResult = z.infer<typeof bundleResultSchema>;
