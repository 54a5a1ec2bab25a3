## Trainings (issue 6)

record-kind-training = Омӯзиш
field-training_kind = Намуди омӯзиш
field-organisers = Ташкилкунандагон
field-curriculum = Барнома (масалан, бобҳои Протоколи Истанбул 2022)
field-pre_test_avg = Баҳои миёна то омӯзиш (%)
field-post_test_avg = Баҳои миёна пас аз омӯзиш (%)
field-certificates_issued = Шаҳодатномаҳои додашуда
nav-trainings = Омӯзиш
trainings-title = Омӯзиш
trainings-new = Омӯзиши нав
trainings-explain = Иштирокчиён аз рӯи касб, ҷинс ва минтақа ҳисоб карда мешаванд; ном бурда намешавад.
trainings-health-workers = Кормандони тиб, ки Протоколи Истанбулро омӯхтанд
trainings-all-participants = Ҳамаи иштирокчиён
trainings-none = Омӯзишҳо ҳанӯз сабт нашудаанд.
trainings-dates = Санаҳо
trainings-total = Ҳамагӣ
trainings-by-profession = Иштирокчиён аз рӯи касб ва ҷинс
trainings-participants = Иштирокчиён
trainings-no-participants = Иштирокчиён ҳанӯз ҳисоб нашудаанд.
trainings-profession = Касб
trainings-sex = Ҷинс
trainings-count = Шумора
trainings-count-help = Чанд нафар аз ин касб, ҷинс ва минтақа иштирок карданд; 0 сатрро нест мекунад.
trainings-bad-count = Адади бутунро аз 0 то 10 000 нависед.
