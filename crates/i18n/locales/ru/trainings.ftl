## Trainings (issue 6)

record-kind-training = Обучение
field-training_kind = Вид обучения
field-organisers = Организаторы
field-curriculum = Программа (например, главы Стамбульского протокола 2022)
field-pre_test_avg = Средний балл до обучения (%)
field-post_test_avg = Средний балл после обучения (%)
field-certificates_issued = Выдано сертификатов
nav-trainings = Обучение
trainings-title = Обучение
trainings-new = Новое обучение
trainings-explain = Участники учитываются по профессии, полу и региону; никто не называется по имени.
trainings-health-workers = Медицинских работников обучено Стамбульскому протоколу
trainings-all-participants = Всего участников
trainings-none = Обучения пока не записаны.
trainings-dates = Даты
trainings-total = Всего
trainings-by-profession = Участники по профессии и полу
trainings-participants = Участники
trainings-no-participants = Участники пока не учтены.
trainings-profession = Профессия
trainings-sex = Пол
trainings-count = Количество
trainings-count-help = Сколько участников этой профессии, пола и региона; 0 удаляет строку.
trainings-bad-count = Введите целое число от 0 до 10 000.
